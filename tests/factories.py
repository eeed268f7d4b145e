"""Factories for tests. Events are made through the services, as users make them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from reisgezel.accounts.models import MemberRole, Organisation, OrganisationKind, User
from reisgezel.accounts.services import membership_add
from reisgezel.agenda.inputs import EventInput, SlotInput
from reisgezel.agenda.models import Event
from reisgezel.agenda.services import event_approve, event_create
from reisgezel.places.models import Place

AMS = ZoneInfo("Europe/Amsterdam")


class _UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class _OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.ASSOCIATION
    description = factory.LazyFunction(
        lambda: {"nl": "Een culturele partner.", "en": "A cultural partner."}
    )


class _PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Zaal {n}")
    slug = factory.Sequence(lambda n: f"zaal-{n}")
    street = "Avenue Céramique 50"
    postcode = "6221 KV"
    latitude = Decimal("50.846")
    longitude = Decimal("5.700")


if TYPE_CHECKING:
    # factory_boy's metaclass makes Factory() return a model instance; tell mypy so.
    def UserFactory(**kwargs: Any) -> User: ...  # noqa: N802
    def OrganisationFactory(**kwargs: Any) -> Organisation: ...  # noqa: N802
    def PlaceFactory(**kwargs: Any) -> Place: ...  # noqa: N802
else:
    UserFactory = _UserFactory
    OrganisationFactory = _OrganisationFactory
    PlaceFactory = _PlaceFactory


def member_of(
    organisation: Organisation, *, role: str = MemberRole.EDITOR, **user_kwargs: Any
) -> User:
    user = UserFactory(**user_kwargs)
    membership_add(organisation=organisation, user=user, role=role)
    return user


def moderator() -> User:
    return UserFactory(is_moderator=True)


def at(
    day: int, hour: int = 20, minute: int = 0, *, month: int | None = None, year: int | None = None
) -> datetime:
    """A datetime in Maastricht time; defaults to a day in the coming month."""
    base = timezone.localdate() + timedelta(days=30)
    return datetime(year or base.year, month or base.month, day, hour, minute, tzinfo=AMS)


def event_input(**overrides: Any) -> EventInput:
    start = overrides.pop("start", None) or at(10)
    values: dict[str, Any] = {
        "title": {"nl": "Concert in de Sint-Janskerk", "en": "Concert in St John's Church"},
        "disciplines": ["music"],
        "calendar_type": "single",
        "time_slots": [SlotInput(start=start, end=start + timedelta(hours=2))],
        "languages": ["nl"],
        "is_free": True,
    }
    values.update(overrides)
    if "place_id" not in values:
        values["place_id"] = PlaceFactory().pk
    return EventInput(**values)


def published_event(*, organisation: Organisation | None = None, **overrides: Any) -> Event:
    """An approved event, created by a member and approved by a moderator."""
    organisation = organisation or OrganisationFactory()
    author = member_of(organisation)
    event = event_create(
        actor=author, organisation=organisation, data=event_input(**overrides), submit=True
    )
    return event_approve(actor=moderator(), event=event)


# --- Typed shortcuts (factory_boy's `Factory()` is typed as the factory, not the model) ---
def make_organisation(**kwargs: Any) -> Organisation:
    organisation: Organisation = OrganisationFactory(**kwargs)
    return organisation


def make_place(**kwargs: Any) -> Place:
    place: Place = PlaceFactory(**kwargs)
    return place


def make_user(**kwargs: Any) -> User:
    """A user whose password ("correct horse battery staple") is stored, so it can log in."""
    user: User = UserFactory(**kwargs)
    user.save(update_fields=["password"])
    return user
