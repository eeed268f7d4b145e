"""The calendar expansion: single, multiple, periodic (weekly and RRULE), permanent."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reisgezel.agenda.calendar import (
    CalendarError,
    CalendarSpec,
    Slot,
    WeeklyHours,
    expand,
    split_long,
)

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 28)


def dt(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=AMS)


def test_single_event_is_one_occurrence():
    spec = CalendarSpec("single", time_slots=(Slot(dt(2026, 12, 5, 20), dt(2026, 12, 5, 22)),))
    assert expand(spec, today=TODAY, horizon_days=400) == [
        Slot(dt(2026, 12, 5, 20), dt(2026, 12, 5, 22))
    ]


def test_single_with_two_dates_is_refused_with_a_reason():
    slots = (
        Slot(dt(2026, 12, 5, 20), dt(2026, 12, 5, 22)),
        Slot(dt(2026, 12, 6, 20), dt(2026, 12, 6, 22)),
    )
    with pytest.raises(CalendarError, match="multiple"):
        expand(CalendarSpec("single", time_slots=slots), today=TODAY, horizon_days=400)


def test_exhibition_open_tuesday_to_sunday_closed_on_holidays():
    weekly = tuple(WeeklyHours(d, time(10), time(17)) for d in range(1, 7))
    spec = CalendarSpec(
        "periodic",
        weekly=weekly,
        period_start=date(2026, 12, 21),
        period_end=date(2026, 12, 31),
        closed_on_public_holidays=True,
        exception_dates=frozenset({date(2026, 12, 31)}),
    )
    days = [s.start.date() for s in expand(spec, today=TODAY, horizon_days=400)]
    # Mon 21 and Mon 28 closed; 25 and 26 December are public holidays; 31 is an exception.
    assert days == [date(2026, 12, d) for d in (22, 23, 24, 27, 29, 30)]
    assert all(
        s.start.hour == 10 and s.end.hour == 17 for s in expand(spec, today=TODAY, horizon_days=400)
    )


def test_weekly_rrule_keeps_wall_clock_time_across_daylight_saving():
    spec = CalendarSpec(
        "periodic",
        time_slots=(Slot(dt(2027, 3, 16, 20), dt(2027, 3, 16, 22)),),
        period_start=date(2027, 3, 16),
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3",
    )
    occurrences = expand(spec, today=TODAY, horizon_days=400)
    assert [o.start for o in occurrences] == [
        dt(2027, 3, 16, 20),
        dt(2027, 3, 23, 20),
        dt(2027, 3, 30, 20),
    ]
    # 30 March is summer time: same local hour, different UTC offset.
    assert occurrences[2].start.utcoffset() == timedelta(hours=2)
    assert occurrences[0].start.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    "first",
    [date(2027, 3, 28), date(2027, 10, 31)],  # the days summer time starts and ends: 23 h, 25 h
    ids=["spring", "autumn"],
)
def test_all_day_rule_instances_are_whole_days_across_daylight_saving(first):
    start = datetime.combine(first, time.min, tzinfo=AMS)
    end = datetime.combine(first + timedelta(days=1), time.min, tzinfo=AMS)
    spec = CalendarSpec(
        "periodic",
        # In UTC, as the database gives them: the first date is 23 or 25 hours long.
        time_slots=(Slot(start.astimezone(UTC), end.astimezone(UTC), all_day=True),),
        period_start=first,
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    occurrences = expand(spec, today=TODAY, horizon_days=400)
    assert [(o.start, o.end, o.all_day) for o in occurrences] == [
        (
            datetime.combine(first + timedelta(weeks=n), time.min, tzinfo=AMS),
            datetime.combine(first + timedelta(weeks=n, days=1), time.min, tzinfo=AMS),
            True,
        )
        for n in range(3)
    ]


def test_rrule_exceptions_are_skipped():
    spec = CalendarSpec(
        "periodic",
        time_slots=(Slot(dt(2027, 1, 5, 19), dt(2027, 1, 5, 21)),),
        period_start=date(2027, 1, 5),
        rrule="FREQ=WEEKLY;UNTIL=20270126T235959Z",
        exception_dates=frozenset({date(2027, 1, 12)}),
    )
    assert [o.start.day for o in expand(spec, today=TODAY, horizon_days=400)] == [5, 19, 26]


def test_open_ended_rule_stops_at_the_horizon():
    spec = CalendarSpec(
        "periodic",
        time_slots=(Slot(dt(2026, 12, 1, 19), dt(2026, 12, 1, 21)),),
        period_start=date(2026, 12, 1),
        rrule="FREQ=DAILY",
    )
    occurrences = expand(spec, today=TODAY, horizon_days=30)
    assert occurrences[-1].start.date() <= TODAY + timedelta(days=30)
    assert len(occurrences) == 28


def test_permanent_starts_today_and_rolls_with_the_horizon():
    spec = CalendarSpec("permanent", weekly=(WeeklyHours(5, time(11), time(17)),))
    occurrences = expand(spec, today=TODAY, horizon_days=14)
    assert [o.start.date() for o in occurrences] == [
        date(2026, 11, 28),
        date(2026, 12, 5),
        date(2026, 12, 12),
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (CalendarSpec("periodic"), "first day"),
        (CalendarSpec("periodic", period_start=date(2027, 1, 1)), "opening hours"),
        (CalendarSpec("permanent"), "opening hours"),
        (CalendarSpec("multiple"), "at least one"),
        (
            CalendarSpec(
                "periodic",
                period_start=date(2027, 1, 1),
                rrule="FREQ=SOMETIMES",
                time_slots=(Slot(dt(2027, 1, 1, 10), dt(2027, 1, 1, 11)),),
            ),
            "not valid",
        ),
    ],
)
def test_incomplete_calendars_are_explained(spec, message):
    with pytest.raises(CalendarError, match=message):
        expand(spec, today=TODAY, horizon_days=30)


def test_runaway_rule_is_refused():
    spec = CalendarSpec(
        "periodic",
        time_slots=(Slot(dt(2027, 1, 1, 10), dt(2027, 1, 1, 10, 1)),),
        period_start=date(2027, 1, 1),
        rrule="FREQ=DAILY;BYHOUR="
        + ",".join(map(str, range(24)))
        + ";BYMINUTE="
        + ",".join(map(str, range(0, 60, 5)))
        + ";BYSECOND=0,30",
    )
    with pytest.raises(CalendarError, match="more than"):
        expand(spec, today=TODAY, horizon_days=60)
    # Finer than a day is refused outright (an agenda repeats by the day at the finest).
    with pytest.raises(CalendarError, match="FREQ"):
        expand(replace(spec, rrule="FREQ=MINUTELY"), today=TODAY, horizon_days=60)


def test_a_three_week_span_is_split_into_days():
    parts = list(split_long(Slot(dt(2026, 12, 1, 10), dt(2026, 12, 22, 18))))
    assert len(parts) == 22
    assert parts[0].start == dt(2026, 12, 1, 10) and parts[0].end == dt(2026, 12, 2)
    assert parts[1].all_day and parts[-1].end == dt(2026, 12, 22, 18)


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)),
    minutes=st.integers(min_value=1, max_value=60 * 24 * 40),
)
def test_split_covers_the_span_exactly(start, minutes):
    begin = start.replace(tzinfo=AMS)
    slot = Slot(begin, begin + timedelta(minutes=minutes))
    parts = list(split_long(slot))
    assert parts[0].start == slot.start and parts[-1].end == slot.end
    assert all(a.end == b.start for a, b in pairwise(parts))
    assert all(p.end > p.start for p in parts)
