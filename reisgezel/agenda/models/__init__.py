from .calendar import MAX_OCCURRENCE_SPAN, ExceptionDate, Occurrence, TimeSlot, WeeklyOpening
from .event import (
    Audience,
    CalendarType,
    Event,
    EventImage,
    EventLanguage,
    EventStatus,
    ModerationDecision,
    ModerationState,
    PriceTariff,
)
from .feeds import ImportFeed, ImportRun

__all__ = [
    "MAX_OCCURRENCE_SPAN",
    "Audience",
    "CalendarType",
    "Event",
    "EventImage",
    "EventLanguage",
    "EventStatus",
    "ExceptionDate",
    "ImportFeed",
    "ImportRun",
    "ModerationDecision",
    "ModerationState",
    "Occurrence",
    "PriceTariff",
    "TimeSlot",
    "WeeklyOpening",
]
