"""Rules a review found broken (each test failed before its fix): a place made private
later, the admin's location fields, a guardian's consent after an edit, the media limits
of an edit, the report e-mail to staff, and odd input on the erase page."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image

from reisgezel.places.models import Neighbourhood, Place
from reisgezel.places.services import place_update
from reisgezel.search.models import SearchDocument
from reisgezel.stories.models import Story, StoryState
from reisgezel.stories.services import (
    Uploads,
    story_edit,
    story_guardian_consent,
    story_report,
    story_token,
)
from reisgezel.stories.tests.conftest import HOME, published, story_input, submit
from reisgezel.stories.tests.test_media import SAMPLES, photo_with_gps
from tests.factories import make_place, make_user

pytestmark = pytest.mark.django_db


def test_a_place_made_private_later_no_longer_shows_its_stories_at_the_address(
    django_capture_on_commit_callbacks: Any, wyck: Neighbourhood
) -> None:
    home = make_place(neighbourhood=wyck, latitude=HOME[0], longitude=HOME[1])
    story = published(django_capture_on_commit_callbacks, about="place", place_id=home.pk)
    assert (story.public_latitude, story.public_longitude) == HOME
    with django_capture_on_commit_callbacks(execute=True):
        place_update(place=home, is_private=True)  # staff learn it is someone's home
    story.refresh_from_db()
    assert story.location_generalised
    assert (story.public_latitude, story.public_longitude) != HOME
    item = Client().get("/api/stories").json()["items"][0]
    assert (item["latitude"], item["longitude"]) != (float(HOME[0]), float(HOME[1]))
    assert item["location_is_neighbourhood"] is True
    assert "50.849123" not in Client().get("/nl/stories/map.json").content.decode()
    # The place moved (a public one again): the story follows it.
    with django_capture_on_commit_callbacks(execute=True):
        place_update(
            place=Place.objects.get(pk=home.pk),
            is_private=False,
            latitude=Decimal("50.850000"),
            longitude=Decimal("5.700000"),
        )
    story.refresh_from_db()
    assert (story.public_latitude, story.public_longitude) == (
        Decimal("50.850000"),
        Decimal("5.700000"),
    )
    document = SearchDocument.objects.get(doc_type="story", object_id=story.pk)
    assert story.published_at is not None
    assert document.indexed_at >= story.published_at  # indexed again after the change


def test_ticking_home_address_in_the_admin_hides_the_exact_point(
    django_capture_on_commit_callbacks: Any, wyck: Neighbourhood
) -> None:
    story = published(
        django_capture_on_commit_callbacks,
        neighbourhood_id=wyck.pk,
        latitude=HOME[0],
        longitude=HOME[1],
    )
    assert not story.location_generalised
    staff = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    url = f"/en/admin/stories/story/{story.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="public_latitude"' not in page  # derived, not typed in
    form = {
        "title": story.title,
        "text": story.text,
        "about": story.about,
        "licence": story.licence,
        "language": story.language,
        "display_name": story.display_name,
        "contributor_email": story.contributor_email,
        "people_consent": "on",
        "neighbourhood": wyck.pk,
        "latitude": str(HOME[0]),
        "longitude": str(HOME[1]),
        "is_home_location": "on",
    }
    refused = client.post(url, {**form, "people_consent": ""})  # the consent stays
    assert refused.status_code == 200 and "reject or withdraw it first" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.is_home_location and story.location_generalised
    assert "50.849123" not in Client().get("/nl/stories/map.json").content.decode()


MINOR_EDITED = "Een heel ander verhaal, dat geen voogd las."


def _minors_story(child: Any, capture: Any) -> Story:
    with capture(execute=True):
        return submit(
            actor=child, is_minor=True, guardian_name="Ans", guardian_email="ans@example.org"
        )


def _edited_naming_another_guardian(child: Any, story: Story, capture: Any) -> Story:
    with capture(execute=True):
        return story_edit(
            actor=child,
            story=story,
            data=story_input(
                text=MINOR_EDITED,
                is_minor=True,
                guardian_name="Iemand anders",
                guardian_email="other@example.org",
            ),
        )


def test_a_guardian_confirms_every_change_of_a_minors_story(
    django_capture_on_commit_callbacks: Any,
) -> None:
    child = make_user()
    story = _minors_story(child, django_capture_on_commit_callbacks)
    story = story_guardian_consent(token=story_token(story, "guardian"))
    assert story.state == StoryState.PENDING
    mail.outbox.clear()
    story = _edited_naming_another_guardian(child, story, django_capture_on_commit_callbacks)
    assert story.state == StoryState.AWAITING_CONFIRMATION
    assert story.guardian_consent_at is None
    assert [message.to for message in mail.outbox] == [["other@example.org"]]


def test_a_guardians_link_consents_only_to_the_version_it_was_sent_for(
    django_capture_on_commit_callbacks: Any,
) -> None:
    child = make_user()
    story = _minors_story(child, django_capture_on_commit_callbacks)
    first_link = story_token(story, "guardian")
    story = _edited_naming_another_guardian(child, story, django_capture_on_commit_callbacks)
    # Ans's link (of the first version, and she is no longer the guardian named) gives
    # no consent to the new version, nor shows it.
    with pytest.raises(ValidationError) as refused:
        story_guardian_consent(token=first_link)
    assert "changed after this link was sent" in str(refused.value)
    page = Client().get(f"/en/stories/consent/{first_link}/")
    assert MINOR_EDITED not in page.content.decode()
    story.refresh_from_db()
    assert story.guardian_consent_at is None and story.state == StoryState.AWAITING_CONFIRMATION
    # The link mailed to the guardian named now works.
    story = story_guardian_consent(token=story_token(story, "guardian"))
    assert story.guardian_consent_at is not None


def test_an_edit_keeps_a_story_within_six_photos_and_one_recording() -> None:
    author = make_user()
    recording = ((SAMPLES / "uitspraak.mp3").read_bytes(), "")
    story = submit(
        actor=author,
        uploads=Uploads(photos=[(photo_with_gps((40, 30)), "")] * 5, audio=recording),
    )
    with pytest.raises(Exception) as too_many:
        story_edit(
            actor=author,
            story=story,
            data=story_input(),
            uploads=Uploads(photos=[(photo_with_gps((40, 30)), "")] * 2),
        )
    assert "photos" in too_many.value.message_dict  # type: ignore[attr-defined]
    with pytest.raises(Exception) as second:
        story_edit(actor=author, story=story, data=story_input(), uploads=Uploads(audio=recording))
    assert "audio" in second.value.message_dict  # type: ignore[attr-defined]
    story_edit(
        actor=author,
        story=story,
        data=story_input(),
        uploads=Uploads(photos=[(photo_with_gps((40, 30)), "")]),
    )
    assert Story.objects.get(pk=story.pk).media.filter(kind="photo").count() == 6


def test_staff_who_moderate_get_the_report_email(django_capture_on_commit_callbacks: Any) -> None:
    staff = make_user(is_staff=True, email="redactie@example.org")
    make_user(email="lezer@example.org")  # no moderator: no mail
    story = published(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story_report(actor=None, story=story, reason="privacy")
    assert staff.email in [address for message in mail.outbox for address in message.to]
    assert "lezer@example.org" not in [a for m in mail.outbox for a in m.to]


def test_the_erase_page_ignores_digits_that_are_not_ascii() -> None:
    author = make_user()
    submit(actor=author)
    client = Client(raise_request_exception=False)
    client.force_login(author)
    response = client.post("/nl/stories/mine/erase/", {"confirm": "yes", "keep": "²"})
    assert response.status_code == 302
    assert not Story.objects.exists()


def test_a_phone_jpeg_with_a_multi_picture_block_is_accepted() -> None:
    from reisgezel.stories.media import clean_photo

    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(
        out, format="MPO", save_all=True, append_images=[Image.new("RGB", (20, 15))]
    )
    assert out.getvalue()[:3] == b"\xff\xd8\xff"
    cleaned = clean_photo(out.getvalue())
    assert (cleaned.content_type, cleaned.width, cleaned.height) == ("image/jpeg", 40, 30)


def test_a_story_taken_offline_leaves_the_list_of_open_reports(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.stories.selectors import stories_with_open_reports
    from reisgezel.stories.services import story_reject, story_withdraw
    from tests.factories import moderator

    rejected = published(django_capture_on_commit_callbacks)
    withdrawn = published(django_capture_on_commit_callbacks)
    kept = published(django_capture_on_commit_callbacks)
    for story in (rejected, withdrawn, kept):
        story_report(actor=None, story=story, reason="privacy")
    assert set(stories_with_open_reports()) == {rejected, withdrawn, kept}
    story_reject(actor=moderator(), story=rejected, reason="Adres van een ander erin.")
    bystander = make_user()
    story_withdraw(actor=bystander, story=withdrawn, token=story_token(withdrawn, "manage"))
    assert set(stories_with_open_reports()) == {kept}
    from reisgezel.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="story.withdraw")
    assert entry.actor_id is None  # the link withdrew it, not whoever was logged in


def test_mails_about_a_story_follow_the_accounts_new_address(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.stories.services import story_approve
    from reisgezel.stories.tests.conftest import submit
    from tests.factories import moderator

    author = make_user(email="old@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        story = submit(actor=author)
    author.email = "new@example.org"  # changed on the account page since
    author.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        story_approve(actor=moderator(), story=story)
    assert mail.outbox[-1].to == ["new@example.org"]
