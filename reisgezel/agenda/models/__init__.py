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
from .feeds import FeedItem, ImportFeed, ImportRun

__all__ = [
    "MAX_OCCURRENCE_SPAN",
    "Audience",
    "CalendarType",
    "Event",
    "EventImage",
    "EventLanguage",
    "EventStatus",
    "ExceptionDate",
    "FeedItem",
    "ImportFeed",
    "ImportRun",
    "ModerationDecision",
    "ModerationState",
    "Occurrence",
    "PriceTariff",
    "TimeSlot",
    "WeeklyOpening",
]
