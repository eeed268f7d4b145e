"""The learning admin: pages load, search goes through the index, actions and saves call
the services (audit, sessions, search and agenda after commit)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, time
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.forms import inlineformset_factory
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from reisgezel.core.models import AuditEntry
from reisgezel.learning.admin import CourseAdmin, EditionAdmin, SessionFormSet
from reisgezel.learning.agenda_sync import mirrored_event
from reisgezel.learning.models import (
    Course,
    CourseState,
    Edition,
    EditionState,
    Guardian,
    SchemeUse,
    SchoolBudget,
    Session,
    Tariff,
)
from reisgezel.learning.services.offer import EDITION_DOC_TYPE
from reisgezel.learning.services.sessions import sessions_generate
from reisgezel.search.services import documents_index
from tests.factories import make_organisation, make_user, member_of
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[Any]]
LEARNING_MODELS = [m for m in site._registry if m._meta.app_label == "learning"]


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def admin_request(method: str = "post") -> Any:
    request = getattr(RequestFactory(), method)("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_every_learning_model_has_an_admin_or_an_inline() -> None:
    from django.apps import apps

    inlined = {
        inline.model for model in LEARNING_MODELS for inline in site._registry[model].inlines
    }
    assert inlined == {Session, Tariff, Guardian, SchoolBudget, SchemeUse}
    models = set(apps.get_app_config("learning").get_models())
    assert models == set(LEARNING_MODELS) | inlined


def test_no_learning_admin_searches_by_substring() -> None:
    request = RequestFactory().get("/")
    for model in LEARNING_MODELS:
        for field in site._registry[model].get_search_fields(request):
            assert str(field).startswith("=") or "__exact" in str(field), (model, field)


def test_every_changelist_search_and_change_page_loads(staff: Client) -> None:
    edition = make_edition()
    sessions_generate(edition=edition)
    for model in LEARNING_MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        response = staff.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "klei"})
        assert response.status_code == 200, info
    for model, obj in ((Course, edition.course), (Edition, edition)):
        url = reverse(f"admin:learning_{model._meta.model_name}_change", args=[obj.pk])
        assert staff.get(url).status_code == 200
    assert staff.get(reverse("admin:learning_edition_add")).status_code == 200


def test_course_and_edition_search_through_the_index(staff: Client) -> None:
    wanted = make_edition(course=make_course(title={"nl": "Boetseren"}, slug="boetseren"))
    other = make_edition(course=make_course(title={"nl": "Zingen"}, slug="zingen"))
    documents_index(doc_type=EDITION_DOC_TYPE, ids=[wanted.pk, other.pk])
    response = staff.get(reverse("admin:learning_course_changelist"), {"q": "boetseren"})
    assert list(response.context["cl"].result_list) == [wanted.course]
    response = staff.get(reverse("admin:learning_edition_changelist"), {"q": "boetseren"})
    assert list(response.context["cl"].result_list) == [wanted]
    # Exact slug lookups find drafts, which have no document.
    draft = make_course(slug="geheim", state=CourseState.DRAFT)
    response = staff.get(reverse("admin:learning_course_changelist"), {"q": "geheim"})
    assert list(response.context["cl"].result_list) == [draft]


def test_publish_and_unpublish_actions_go_through_the_services(staff: Client) -> None:
    course = make_course(state=CourseState.DRAFT)
    url = reverse("admin:learning_course_changelist")
    staff.post(url, {"action": "publish", "_selected_action": [course.pk]})
    course.refresh_from_db()
    assert course.state == CourseState.PUBLISHED
    staff.post(url, {"action": "unpublish", "_selected_action": [course.pk]})
    course.refresh_from_db()
    assert course.state == CourseState.DRAFT
    assert list(
        AuditEntry.objects.filter(target_id=str(course.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["learning.course.publish", "learning.course.unpublish"]


def test_a_state_changed_in_the_form_is_published_by_the_service(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    course = make_course(state=CourseState.DRAFT)
    edition = make_edition(course=course, state=EditionState.OPEN)
    sessions_generate(edition=edition)
    request = admin_request()
    course_admin = CourseAdmin(Course, site)
    course.state = CourseState.PUBLISHED  # what the form set
    form = SimpleNamespace(instance=course, save_m2m=lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        course_admin.save_model(request, course, form, True)
        course_admin.save_related(request, form, [], True)
    course.refresh_from_db()
    assert course.state == CourseState.PUBLISHED
    assert AuditEntry.objects.filter(
        action="learning.course.publish", target_id=str(course.pk), actor=request.user
    ).exists()
    assert mirrored_event(edition.pk) is not None  # the agenda followed


def test_a_new_edition_saved_in_the_admin_gets_its_sessions() -> None:
    edition = make_edition(
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 25),
        weekday=0,
        start_time=time(10, 0),
        end_time=time(11, 0),
    )
    assert not edition.sessions.exists()
    form = SimpleNamespace(instance=edition, save_m2m=lambda: None, changed_data=[])
    EditionAdmin(Edition, site).save_related(admin_request(), form, [], False)
    assert edition.sessions.count() == 4


def test_the_regenerate_action_reports(staff: Client) -> None:
    edition = make_edition(
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 25),
        weekday=0,
        start_time=time(10, 0),
        end_time=time(11, 0),
    )
    response = staff.post(
        reverse("admin:learning_edition_changelist"),
        {"action": "regenerate_sessions", "_selected_action": [edition.pk]},
        follow=True,
    )
    assert "4 added, 0 removed" in response.content.decode()
    assert edition.sessions.count() == 4


def test_the_open_action_explains_why_an_edition_cannot_open(staff: Client) -> None:
    edition = make_edition(state=EditionState.PLANNED)  # no sessions yet
    response = staff.post(
        reverse("admin:learning_edition_changelist"),
        {"action": "open_for_enrolment", "_selected_action": [edition.pk]},
        follow=True,
    )
    assert "The edition has no sessions yet." in response.content.decode()
    edition.refresh_from_db()
    assert edition.state == EditionState.PLANNED


def local(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S"))


def test_a_session_changed_in_the_inline_is_marked_edited() -> None:
    edition = make_edition()
    sessions_generate(edition=edition)
    session = edition.sessions.first()
    assert session is not None and not session.edited
    formset_class = inlineformset_factory(
        Edition, Session, formset=SessionFormSet, fields=("starts_at", "ends_at")
    )
    sessions = list(edition.sessions.all())
    data = {
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": str(len(sessions)),
    }
    for i, row in enumerate(sessions):
        data[f"sessions-{i}-id"] = str(row.pk)
        data[f"sessions-{i}-edition"] = str(edition.pk)
        data[f"sessions-{i}-starts_at"] = local(row.starts_at)
        data[f"sessions-{i}-ends_at"] = local(row.ends_at)
    data["sessions-0-ends_at"] = local(session.ends_at.replace(minute=15))
    formset = formset_class(data, instance=edition, prefix="sessions")
    assert formset.is_valid(), formset.errors
    formset.save()
    assert Session.objects.filter(edition=edition, edited=True).count() == 1
    session.refresh_from_db()
    assert session.edited


def test_partners_have_no_admin_access() -> None:
    member = member_of(make_organisation())
    client = Client()
    client.force_login(member)
    response = client.get(reverse("admin:learning_course_changelist"))
    assert response.status_code == 302
    assert isinstance(site._registry[Course], admin.ModelAdmin)
