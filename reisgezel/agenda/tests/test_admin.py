"""The Django admin for staff: pages load, actions call the services, saves stay in sync."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from reisgezel.agenda.admin import EventAdmin
from reisgezel.agenda.models import Event, ModerationDecision, ModerationState, Occurrence, TimeSlot
from reisgezel.agenda.services import event_create
from reisgezel.core.models import AuditEntry
from tests.factories import (
    at,
    event_input,
    make_organisation,
    make_user,
    member_of,
    published_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def submitted_event() -> Event:
    org = make_organisation()
    return event_create(actor=member_of(org), organisation=org, data=event_input(), submit=True)


def test_every_changelist_and_search_loads(staff: Client):
    event = published_event()
    for model in site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        response = staff.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "concert"})
        assert response.status_code == 200, info
    assert staff.get(reverse("admin:agenda_event_change", args=[event.pk])).status_code == 200
    assert (
        b"is_moderator"
        in staff.get(
            reverse("admin:accounts_user_change", args=[event.organiser.memberships.get().user_id])
        ).content
    )


def test_partners_have_no_admin_access():
    member = member_of(make_organisation())
    member.save(update_fields=["password"])
    client = Client()
    client.force_login(member)
    assert client.get(reverse("admin:agenda_event_changelist")).status_code == 302


def test_approve_action_goes_through_the_service(staff: Client):
    ready, draft = (
        submitted_event(),
        event_create(
            actor=member_of(org := make_organisation()), organisation=org, data=event_input()
        ),
    )
    response = staff.post(
        reverse("admin:agenda_event_changelist"),
        {"action": "approve_selected", "_selected_action": [ready.pk, draft.pk]},
    )
    assert response.status_code == 302
    assert Event.objects.get(pk=ready.pk).moderation == ModerationState.APPROVED
    assert (
        Event.objects.get(pk=draft.pk).moderation == ModerationState.DRAFT
    )  # refused by the service
    assert ModerationDecision.objects.filter(
        event=ready, to_state=ModerationState.APPROVED
    ).exists()
    assert Occurrence.objects.get(event=ready).is_public
    assert AuditEntry.objects.filter(action="event.approve", target_id=str(ready.pk)).exists()


def test_saving_in_the_admin_rebuilds_occurrences():
    event = published_event()
    TimeSlot.objects.filter(event=event).update(start=at(20), end=at(20) + timedelta(hours=1))
    request = RequestFactory().post("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    form = SimpleNamespace(instance=event, save_m2m=lambda: None)
    EventAdmin(Event, site).save_related(request, form, [], True)
    assert list(Occurrence.objects.filter(event=event).values_list("start", flat=True)) == [at(20)]


def test_rebuild_action_and_read_only_history(staff: Client):
    event = published_event()
    Occurrence.objects.filter(event=event).delete()
    staff.post(
        reverse("admin:agenda_event_changelist"),
        {"action": "rebuild_occurrences", "_selected_action": [event.pk]},
    )
    assert Occurrence.objects.filter(event=event).count() == 1
    assert staff.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert staff.get(reverse("admin:agenda_moderationdecision_add")).status_code == 403
    assert (
        staff.get(reverse("admin:agenda_event_add")).status_code == 403
    )  # events come from event_create
    entry = AuditEntry.objects.first()
    assert entry is not None
    staff.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_places_saved_in_the_admin_go_through_the_place_service(staff: Client):
    from reisgezel.places.models import Place

    data = {
        "name": "Lumière",
        "street": "Bassin 88",
        "postcode": "6211ak",
        "city": "Maastricht",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-0-weekday": "2",
        "opening_hours-0-opens": "10:00",
        "opening_hours-0-closes": "18:00",
    }
    response = staff.post(reverse("admin:places_place_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    place = Place.objects.get()
    assert (
        place.postcode == "6211 AK" and place.slug == "lumiere" and place.opening_hours.count() == 1
    )
    staff.post(
        reverse("admin:places_place_change", args=[place.pk]),
        {**data, "postcode": "6211 al", "opening_hours-TOTAL_FORMS": "0"},
    )
    assert Place.objects.get().postcode == "6211 AL"


@pytest.mark.django_db
def test_admin_event_search_uses_the_search_index(client, django_capture_on_commit_callbacks):
    from reisgezel.agenda.services import event_create
    from tests.factories import OrganisationFactory, UserFactory, event_input, member_of

    org = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        draft = event_create(
            actor=member_of(org),
            organisation=org,
            data=event_input(title={"nl": "Tentoonstelling keramiek van Sphinx"}),
        )
        other = event_create(
            actor=member_of(org), organisation=org, data=event_input(title={"nl": "Jazzconcert"})
        )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/nl/admin/agenda/event/", {"q": "tentoonstellingen Sphinx"})
    assert response.status_code == 200
    listed = {row.pk for row in response.context["cl"].result_list}
    assert listed == {draft.pk}
    assert other.pk not in listed


def test_admin_image_uploads_are_checked_and_normalised(settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.datastructures import MultiValueDict
    from PIL import Image

    from reisgezel.agenda.admin import EventImageAdminForm

    settings.MEDIA_ROOT = tmp_path
    event = published_event()
    photo = (settings.SHARED_DATA_DIR / "iiif" / "images" / "landscape_6.jpg").read_bytes()
    data = {
        "event": event.pk,
        "alt_text_nl": "Foto",
        "credit": "X",
        "position": 0,
        "rights_uri": "https://creativecommons.org/licenses/by/4.0/",
    }
    bad_file = SimpleUploadedFile("x.jpg", b"not an image")
    bad = EventImageAdminForm(data, MultiValueDict({"image": [bad_file]}))
    assert not bad.is_valid() and "image" in bad.errors
    form = EventImageAdminForm(
        data, MultiValueDict({"image": [SimpleUploadedFile("p.jpg", photo)]})
    )
    assert form.is_valid(), form.errors
    image = form.save()
    stored = Image.open(io.BytesIO(image.image.read()))
    assert stored.size == (600, 450) and not stored.getexif()


def _listed(client: Client, model: str, text: str) -> set[int]:
    response = client.get(reverse(f"admin:agenda_{model}_changelist"), {"q": text})
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_admin_event_search_by_exact_uid_and_no_substring(
    staff: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = published_event(title={"nl": "Kamermuziek in de Minderbroederskerk"})
    assert _listed(staff, "event", "kamermuziek") == {event.pk}
    assert _listed(staff, "event", "minderbroederskerken") == {event.pk}
    assert _listed(staff, "event", event.ical_uid.upper()) == {event.pk}
    # No substring search: a piece of the UID is not the UID.
    assert _listed(staff, "event", event.ical_uid[4:-4]) == set()


def test_moderation_decisions_are_found_through_their_event(
    staff: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ceramics = published_event(title={"nl": "Keramiekmarkt op het Vrijthof"})
        jazz = published_event(title={"nl": "Jazz op zondag"})
    decisions = set(ModerationDecision.objects.filter(event=ceramics).values_list("pk", flat=True))

    assert decisions and _listed(staff, "moderationdecision", "keramiekmarkten") == decisions
    assert _listed(staff, "moderationdecision", "zondag jazz") == set(
        ModerationDecision.objects.filter(event=jazz).values_list("pk", flat=True)
    )
    assert _listed(staff, "moderationdecision", ceramics.ical_uid) == decisions
    assert _listed(staff, "moderationdecision", ceramics.ical_uid[4:-4]) == set()


def test_import_feeds_are_found_through_their_organiser_or_exact_address(
    staff: Client, django_capture_on_commit_callbacks
):
    from reisgezel.accounts.services import organisation_create
    from reisgezel.agenda.models import ImportFeed
    from reisgezel.core.models import Term

    music = Term.objects.get(kind="discipline", code="music")
    with django_capture_on_commit_callbacks(execute=True):
        choir = organisation_create(name="Maastrichter Staar", kind="association")
        theatre = organisation_create(name="Toneelgroep Maastricht", kind="company")
    choir_feed = ImportFeed.objects.create(
        organiser=choir,
        name="Concerten",
        url="https://staar.example.org/agenda.ics",
        default_discipline=music,
    )
    theatre_feed = ImportFeed.objects.create(
        organiser=theatre,
        name="Voorstellingen",
        url="https://toneel.example.org/feed",
        default_discipline=music,
    )

    assert _listed(staff, "importfeed", "staar") == {choir_feed.pk}
    assert _listed(staff, "importfeed", "toneelgroepen") == {theatre_feed.pk}
    assert _listed(staff, "importfeed", "https://staar.example.org/agenda.ics") == {choir_feed.pk}
    assert _listed(staff, "importfeed", "voorstellingen") == {theatre_feed.pk}  # exact name
    assert _listed(staff, "importfeed", "example.org") == set()


def test_deleting_in_the_admin_is_audited_and_leaves_search(django_capture_on_commit_callbacks):
    from reisgezel.search.models import SearchDocument
    from tests.factories import OrganisationFactory, UserFactory, event_input, member_of

    # A draft: an event with moderation decisions is not the admin's to delete (their
    # admin is read-only), so Django refuses those.
    org = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = event_create(actor=member_of(org), organisation=org, data=event_input())
    assert SearchDocument.objects.filter(doc_type="event", object_id=event.pk).exists()
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/nl/admin/agenda/event/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not SearchDocument.objects.filter(doc_type="event", object_id=event.pk).exists()
    entry = AuditEntry.objects.get(action="event.delete")
    assert entry.actor_id == admin_user.pk
