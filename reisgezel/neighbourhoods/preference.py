"""Where "my neighbourhood" is kept: a row for signed-in residents, a cookie otherwise.

Reading goes through `home_neighbourhood_for(request)`; writing through the services
(signed-in) or `remember_in_cookie` / `forget_cookie` on the response (anonymous).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse

from reisgezel.neighbourhoods.models import HomeNeighbourhood
from reisgezel.places.models import Neighbourhood

COOKIE_NAME = "reisgezel_buurt"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def home_neighbourhood_for(request: HttpRequest) -> Neighbourhood | None:
    """The resident's buurt: their stored choice when signed in, else the cookie's.

    A cookie with an unknown slug (a buurt renamed at the yearly CBS update) reads as
    no choice. One query either way (two with the session's user lookup).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        home = (
            HomeNeighbourhood.objects.select_related("neighbourhood", "neighbourhood__district")
            .defer("neighbourhood__geometry", "neighbourhood__district__geometry")
            .filter(user=user)
            .first()
        )
        if home is not None:
            return home.neighbourhood
    slug = request.COOKIES.get(COOKIE_NAME, "")
    if not slug or len(slug) > 120 or not _SLUG.fullmatch(slug):
        return None  # not one of our slugs (a NUL would fail in PostgreSQL)
    return (
        Neighbourhood.objects.select_related("district")
        .defer("geometry", "district__geometry")
        .filter(slug=slug)
        .first()
    )


def remember_in_cookie(response: HttpResponse, neighbourhood: Neighbourhood) -> None:
    # Not a tracking cookie: it holds the visitor's own choice and nothing else.
    response.set_cookie(
        COOKIE_NAME, neighbourhood.slug, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax"
    )


def forget_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
