"""The agenda query: date presets, filters, disjunctive facet counts, one row per event."""

from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.utils import timezone

from reisgezel.agenda.filters import AgendaFilterForm, preset_range
from reisgezel.agenda.inputs import OpeningInput, SlotInput
from reisgezel.agenda.selectors import agenda_page, occurrences_matching
from reisgezel.agenda.services import event_set_status
from reisgezel.places.models import District, Neighbourhood
from tests.factories import AMS, PlaceFactory, published_event

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=AMS)  # a Wednesday


def filters(**params):
    form = AgendaFilterForm(QueryDict(urlencode(params)))
    assert form.is_valid(), form.errors
    return form.filters(now=NOW)


def slot(day, hour=20, hours=2):
    start = datetime.combine(day, time(hour), tzinfo=AMS)
    return [SlotInput(start=start, end=start + timedelta(hours=hours))]


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        ("weekend", date(2026, 12, 2), (date(2026, 12, 5), date(2026, 12, 7))),
        ("weekend", date(2026, 12, 5), (date(2026, 12, 5), date(2026, 12, 7))),
        ("weekend", date(2026, 12, 6), (date(2026, 12, 6), date(2026, 12, 7))),
        ("today", date(2026, 12, 2), (date(2026, 12, 2), date(2026, 12, 3))),
        ("week", date(2026, 12, 2), (date(2026, 12, 2), date(2026, 12, 9))),
    ],
)
def test_date_presets(preset, today, expected):
    assert preset_range(preset, today) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"age": "abc"},
        {"date_from": "2026-13-45"},
        {"page": "-1"},
        {"when": "someday"},
        {"date_from": "2026-12-10", "date_to": "2026-12-01"},
        {"per_page": "1000"},
        {"discipline": "<script>"},
        {"date_from": "2026-01-01", "date_to": "2028-01-01"},
    ],
)
def test_malformed_filters_are_form_errors(params):
    form = AgendaFilterForm(QueryDict(urlencode(params)))
    assert not form.is_valid()
    assert form.errors


def test_weekend_lists_saturday_events_once_and_not_weekday_ones():
    saturday = date(2026, 12, 5)
    weekend = published_event(title={"nl": "Zaterdagconcert"}, time_slots=slot(saturday))
    published_event(title={"nl": "Woensdag"}, time_slots=slot(date(2026, 12, 9)))
    exhibition = published_event(
        title={"nl": "Tentoonstelling"},
        calendar_type="periodic",
        time_slots=[],
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        weekly=[OpeningInput(d, time(10), time(17)) for d in range(1, 7)],
    )
    result = agenda_page(filters(when="weekend"))
    assert [item.event for item in result.items] == [exhibition, weekend]
    assert result.items[0].occurrence_count == 2  # Saturday and Sunday, one row


def test_filters_combine_and_facets_ignore_their_own_filter():
    day = date(2026, 12, 10)
    music = published_event(disciplines=["music"], time_slots=slot(day), is_free=True)
    dance = published_event(
        disciplines=["dance"], time_slots=slot(day), is_free=False, base_price=12
    )
    kids_dance = published_event(
        disciplines=["dance"], time_slots=slot(day, 14), is_free=True, age_min=4, age_max=10
    )

    result = agenda_page(filters(discipline="dance", date_from="2026-12-10", date_to="2026-12-10"))
    assert [i.event.pk for i in result.items] == [kids_dance.pk, dance.pk]  # 14:00 before 20:00
    assert music.pk not in {i.event.pk for i in result.items}
    assert result.total == 2
    counts = {f.value: f.count for f in result.facets["discipline"]}
    assert counts == {"dance": 2, "music": 1}  # music still counted while dance is chosen
    assert result.facets["free"][0].count == 1  # free among the dance events

    adults = agenda_page(filters(discipline="dance", age="30", date_from="2026-12-10"))
    assert [i.event.pk for i in adults.items] == [dance.pk]


def test_neighbourhood_and_free_filter_use_the_place_buurt():
    district = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=district, geometry={}
    )
    elsewhere = Neighbourhood.objects.create(
        code="BU2", name="Heer", slug="heer", district=district, geometry={}
    )
    in_wyck = PlaceFactory(neighbourhood=wyck)
    in_heer = PlaceFactory(neighbourhood=elsewhere)
    day = date(2026, 12, 11)
    free_wyck = published_event(place_id=in_wyck.pk, time_slots=slot(day), is_free=True)
    published_event(place_id=in_wyck.pk, time_slots=slot(day), is_free=False, base_price=5)
    published_event(place_id=in_heer.pk, time_slots=slot(day), is_free=True)

    result = agenda_page(filters(neighbourhood="wyck", free="on", date_from="2026-12-11"))
    assert [i.event.pk for i in result.items] == [free_wyck.pk]
    by_buurt = {f.value: f.count for f in result.facets["neighbourhood"]}
    assert by_buurt == {"wyck": 1, "heer": 1}
    assert (
        result.total
        == agenda_page(filters(district="centrum", free="on", date_from="2026-12-11")).total - 1
    )


def test_cancelled_events_stay_listed_with_their_status():
    event = published_event(time_slots=slot(date(2026, 12, 12)))
    author = event.organiser.memberships.get().user
    event_set_status(actor=author, event=event, status="cancelled", reason={"nl": "Ziekte"})
    occurrence = occurrences_matching(filters(date_from="2026-12-12")).get()
    assert occurrence.status == "cancelled"


def test_past_occurrences_are_not_in_the_default_view():
    published_event(time_slots=slot(date(2026, 11, 20)))
    upcoming = published_event(time_slots=slot(date(2026, 12, 20)))
    assert [i.event.pk for i in agenda_page(filters()).items] == [upcoming.pk]


def test_language_filter_and_facet():
    day = date(2026, 12, 13)
    english = published_event(languages=["en"], time_slots=slot(day))
    published_event(languages=["nl"], time_slots=slot(day))
    result = agenda_page(filters(language="en", date_from="2026-12-13"))
    assert [i.event.pk for i in result.items] == [english.pk]
    assert {f.value: f.count for f in result.facets["language"]} == {"en": 1, "nl": 1}


def test_pagination_is_stable_and_bounded():
    day = date(2026, 12, 14)
    for hour in range(10, 22):
        published_event(time_slots=slot(day, hour, 1))
    first = agenda_page(filters(date_from="2026-12-14", per_page="10"))
    second = agenda_page(filters(date_from="2026-12-14", per_page="10", page="2"))
    assert first.total == 12 and first.num_pages == 2
    assert len(first.items) == 10 and len(second.items) == 2
    assert not {i.event.pk for i in first.items} & {i.event.pk for i in second.items}
    beyond = agenda_page(filters(date_from="2026-12-14", per_page="10", page="99"))
    assert beyond.page == 2


def test_now_is_respected_within_today():
    assert timezone.is_aware(filters(when="today").start)


def test_cached_counts_follow_every_change():
    day = date(2026, 12, 15)
    published_event(disciplines=["music"], time_slots=slot(day))
    before = agenda_page(filters(date_from="2026-12-15"))
    assert before.total == 1
    assert {f.value: f.count for f in before.facets["discipline"]} == {"music": 1}
    published_event(disciplines=["dance"], time_slots=slot(day))
    after = agenda_page(filters(date_from="2026-12-15"))
    assert after.total == 2
    assert {f.value: f.count for f in after.facets["discipline"]} == {"music": 1, "dance": 1}


def _naive_counts(world, chosen):
    """Facet counts the slow, obvious way: per facet, the events matching every other
    chosen filter, counted per value."""

    def matches(event, skip):
        checks = {
            "discipline": lambda: (
                not chosen["discipline"] or bool(event["discipline"] & chosen["discipline"])
            ),
            "language": lambda: (
                not chosen["language"] or bool(event["language"] & chosen["language"])
            ),
            "neighbourhood": lambda: (
                not chosen["neighbourhood"] or event["neighbourhood"] in chosen["neighbourhood"]
            ),
            "organiser": lambda: (
                not chosen["organiser"] or event["organiser"] in chosen["organiser"]
            ),
            "free": lambda: not chosen["free"] or event["free"],
        }
        return all(check() for name, check in checks.items() if name != skip)

    counts = {}
    for facet in ("discipline", "language", "neighbourhood", "organiser", "free"):
        per_value: dict[str, int] = {}
        for event in world:
            if not matches(event, facet):
                continue
            values = event[facet] if isinstance(event[facet], set) else {event[facet]}
            if facet == "free":
                values = {"1"} if event["free"] else set()
            for value in values:
                per_value[value] = per_value.get(value, 0) + 1
        counts[facet] = per_value
    total = sum(1 for event in world if matches(event, skip=""))
    return total, counts


def test_facet_counts_agree_with_a_naive_count_for_many_filter_combinations():
    import random

    from tests.factories import make_organisation

    rng = random.Random(7)
    district = District.objects.create(code="WK9", name="Oost", slug="oost", geometry={})
    buurten = [
        Neighbourhood.objects.create(
            code=f"BU9{i}", name=name, slug=name.lower(), district=district, geometry={}
        )
        for i, name in enumerate(["Wyck", "Heer", "Amby"])
    ]
    places = {b.slug: PlaceFactory(neighbourhood=b) for b in buurten}
    organisations = [make_organisation(slug=f"org-{i}") for i in range(3)]
    day = date(2026, 12, 16)
    world = []
    for _ in range(24):
        event: dict[str, Any] = {
            "discipline": set(rng.sample(["music", "dance", "theatre"], rng.randint(1, 2))),
            "language": set(rng.sample(["nl", "en", "de"], rng.randint(1, 2))),
            "neighbourhood": rng.choice(list(places)),
            "organiser": rng.choice(organisations).slug,
            "free": rng.random() < 0.5,
        }
        published_event(
            organisation=next(o for o in organisations if o.slug == event["organiser"]),
            disciplines=sorted(event["discipline"]),
            languages=sorted(event["language"]),
            place_id=places[event["neighbourhood"]].pk,
            is_free=event["free"],
            base_price=None if event["free"] else 7,
            time_slots=slot(day, hour=rng.randint(10, 21)),
        )
        world.append(event)

    for _ in range(25):
        chosen: dict[str, Any] = {
            "discipline": set(rng.sample(["music", "dance", "theatre"], rng.randint(0, 2))),
            "language": set(rng.sample(["nl", "en", "de"], rng.randint(0, 1))),
            "neighbourhood": set(rng.sample(list(places), rng.randint(0, 2))),
            "organiser": set(rng.sample([o.slug for o in organisations], rng.randint(0, 1))),
            "free": rng.random() < 0.3,
        }
        params = [("date_from", str(day)), ("date_to", str(day))]
        params += [("discipline", v) for v in sorted(chosen["discipline"])]
        params += [("language", v) for v in sorted(chosen["language"])]
        params += [("neighbourhood", v) for v in sorted(chosen["neighbourhood"])]
        params += [("organiser", v) for v in sorted(chosen["organiser"])]
        if chosen["free"]:
            params.append(("free", "on"))
        form = AgendaFilterForm(QueryDict(urlencode(params)))
        assert form.is_valid(), form.errors
        result = agenda_page(form.filters(now=NOW))
        total, expected = _naive_counts(world, chosen)
        assert result.total == total, chosen
        for facet, per_value in expected.items():
            got = {f.value: f.count for f in result.facets[facet] if f.count}
            assert got == per_value, (facet, chosen)
