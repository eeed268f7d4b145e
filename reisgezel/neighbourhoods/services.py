"""Writes of the neighbourhoods app: a signed-in resident's "my neighbourhood"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from reisgezel.accounts.models import User
from reisgezel.neighbourhoods.models import HomeNeighbourhood
from reisgezel.places.models import Neighbourhood


def home_neighbourhood_set(*, actor: User, neighbourhood: Neighbourhood) -> HomeNeighbourhood:
    """Store the actor's own buurt (replacing an earlier choice)."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to store a neighbourhood with your account.")
    home, _created = HomeNeighbourhood.objects.update_or_create(
        user=actor, defaults={"neighbourhood": neighbourhood}
    )
    return home


def home_neighbourhood_clear(*, actor: User) -> None:
    """Forget the actor's buurt; nothing happens if none was chosen."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to change the neighbourhood of your account.")
    HomeNeighbourhood.objects.filter(user=actor).delete()
