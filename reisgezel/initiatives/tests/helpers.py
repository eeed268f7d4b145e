"""Test data for the initiatives tests, made through the services."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.models import OrganisationKind, User
from reisgezel.initiatives.models import Initiative
from reisgezel.initiatives.services import initiative_submit
from reisgezel.places.models import District, Neighbourhood
from tests.factories import make_organisation, make_user, member_of


def make_neighbourhood(name: str = "Malberg", code: str = "BU1") -> Neighbourhood:
    district, _ = District.objects.get_or_create(
        code="WK1", defaults={"name": "Noordwest", "slug": "noordwest", "geometry": {}}
    )
    return Neighbourhood.objects.create(
        code=code, name=name, slug=name.lower(), district=district, geometry={}
    )


def house_member(**kwargs: Any) -> User:
    """A member of one of the houses: house staff without `is_staff`."""
    house = make_organisation(kind=OrganisationKind.HOUSE)
    return member_of(house, **kwargs)


def staff_user(**kwargs: Any) -> User:
    return make_user(is_staff=True, **kwargs)


def make_idea(initiator: User | None = None, **kwargs: Any) -> Initiative:
    values: dict[str, Any] = {
        "title": "Zomerfeest in de buurt",
        "description": "Een straatfeest met muziek van het buurtkoor.",
        "help_needed": ["place", "publicity"],
    }
    values.update(kwargs)
    return initiative_submit(actor=initiator or make_user(), **values)
