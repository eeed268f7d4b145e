"""The demo data command: rich, and idempotent (a second run changes nothing)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from reisgezel.accounts.models import Membership, Organisation, User
from reisgezel.agenda.models import (
    CalendarType,
    Event,
    EventLanguage,
    EventStatus,
    ImportFeed,
    ModerationState,
    Occurrence,
)
from reisgezel.core.models import Term
from reisgezel.places.models import Neighbourhood, Place

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "events": sorted(
            Event.objects.values_list("pk", "source_uid", "moderation", "status", "sequence")
        ),
        "occurrences": Occurrence.objects.count(),
        "places": Place.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "feeds": ImportFeed.objects.count(),
    }


@pytest.fixture
def demo(settings: object, tmp_path: Path) -> str:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def test_demo_is_rich(demo: str) -> None:
    assert Neighbourhood.objects.count() == 44
    houses = Organisation.objects.filter(kind="house", is_trusted=True)
    assert set(houses.values_list("name", flat=True)) == {
        "Centre Céramique",
        "Natuurhistorisch Museum Maastricht",
        "Kumulus",
    }
    ceramique = Place.objects.get(name="Centre Céramique")
    assert (ceramique.street, ceramique.postcode) == ("Avenue Céramique 50", "6221 KV")
    nhmm = Place.objects.get(name="Natuurhistorisch Museum Maastricht")
    assert nhmm.neighbourhood is not None and nhmm.neighbourhood.name == "Jekerkwartier"
    assert Organisation.objects.exclude(kind="house").count() >= 12
    assert Place.objects.filter(neighbourhood__isnull=False).count() == Place.objects.count()
    for org in Organisation.objects.all():
        assert org.memberships.exists(), org

    assert Event.objects.count() >= 300
    public = Event.objects.filter(moderation=ModerationState.APPROVED)
    for calendar_type in CalendarType.values:
        assert public.filter(calendar_type=calendar_type).exists(), calendar_type
    for term in Term.objects.filter(kind="discipline"):
        assert public.filter(disciplines=term).exists(), term.code
    assert Event.objects.filter(moderation=ModerationState.READY).count() >= 2
    assert Event.objects.filter(moderation=ModerationState.REJECTED).count() == 1
    for status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
        event = Event.objects.filter(status=status).first()
        assert event is not None and event.status_reason.get("nl")
    assert public.filter(is_highlight=True, organiser__kind="house").count() >= 3
    assert (
        public.filter(is_free=True).exists()
        and public.filter(is_free=False, tariffs__isnull=False).exists()
    )
    assert public.filter(age_max__lte=12).exists()
    assert public.exclude(rrule="").exists()
    assert public.filter(exception_dates__isnull=False, closed_on_public_holidays=True).exists()
    assert set(EventLanguage.objects.values_list("code", flat=True)) >= {
        "nl",
        "en",
        "li",
        "de",
        "fr",
    }
    assert public.filter(facilities__isnull=False).exclude(organiser__is_trusted=True).count() == 0
    assert public.filter(facilities__isnull=False).exists()
    mosasaurs = Event.objects.get(source_uid="demo:nhmm-mosasaurs")
    assert "Prognathodon saturator" in mosasaurs.description["nl"]
    assert mosasaurs.calendar_type == CalendarType.PERMANENT
    assert Occurrence.objects.filter(is_public=True).count() > 1000
    assert ImportFeed.objects.count() == 2
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="moderator").can_moderate
    assert "admin-demo-pass" in demo and "moderator-demo-pass" in demo


def test_second_run_changes_nothing(demo: str) -> None:
    before = _snapshot()
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert _snapshot() == before
    assert "Created: nothing" in out.getvalue()


def test_demo_leaves_places_partners_and_events_indexed(
    settings: object, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from collections import Counter

    from reisgezel.search.models import SearchDocument
    from reisgezel.search.query import search

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]

    def load_and_count() -> Counter[str]:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo_data", stdout=StringIO())
        return Counter(SearchDocument.objects.values_list("doc_type", flat=True))

    expected = {
        "place": Place.objects.count,
        "organisation": Organisation.objects.count,
        "event": Event.objects.count,
    }
    indexed = load_and_count()
    assert {name: indexed[name] for name in expected} == {
        name: count() for name, count in expected.items()
    }
    # A demo database from before places and partners were indexed gets them on a rerun.
    SearchDocument.objects.filter(doc_type__in=["place", "organisation"]).delete()
    indexed = load_and_count()
    assert {name: indexed[name] for name in expected} == {
        name: count() for name, count in expected.items()
    }
    hits = search(text="ceramique", doc_types=["place", "organisation"]).hits
    assert {(hit.doc_type, str(hit.title)) for hit in hits} >= {
        ("place", "Centre Céramique"),
        ("organisation", "Centre Céramique"),
    }
