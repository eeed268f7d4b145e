"""Neighbourhood pages: the index of wijken, a page per wijk and per buurt, their
iCalendar feeds, and the "my neighbourhood" choice. Thin: selectors read, the
preference module and services keep the choice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reisgezel.core.i18n import content_languages
from reisgezel.neighbourhoods import selectors
from reisgezel.neighbourhoods.forms import HomeNeighbourhoodForm
from reisgezel.neighbourhoods.ical import area_calendar
from reisgezel.neighbourhoods.preference import (
    forget_cookie,
    home_neighbourhood_for,
    remember_in_cookie,
)
from reisgezel.neighbourhoods.services import home_neighbourhood_clear, home_neighbourhood_set
from reisgezel.places.models import District

ICAL_MAX_AGE = 15 * 60


def _choice_form(
    request: HttpRequest, districts: list[District], *, selected: str
) -> HomeNeighbourhoodForm:
    return HomeNeighbourhoodForm(
        districts=districts,
        initial={"neighbourhood": selected, "next": request.get_full_path()},
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_with_neighbourhoods()
    home = home_neighbourhood_for(request)
    context = {
        "districts": districts,
        "form": _choice_form(request, districts, selected=home.slug if home else ""),
        "home": home,
    }
    return render(request, "neighbourhoods/index.html", context)


def _area_context(request: HttpRequest, area: selectors.Area) -> dict[str, Any]:
    return {
        "area": area,
        "events": selectors.upcoming_events(area),
        "courses": selectors.courses_nearby(area),
        "stories": selectors.stories_nearby(area),
        "places": selectors.cultural_places(area),
        "partners": selectors.partners(area),
        "groups": selectors.amateur_groups(area),
    }


@require_GET
def neighbourhood_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.neighbourhood_area(slug=slug)
    if area is None or area.neighbourhood is None:
        raise Http404(_("No such neighbourhood."))
    districts = selectors.districts_with_neighbourhoods()
    home = home_neighbourhood_for(request)
    context = {
        **_area_context(request, area),
        "neighbours": selectors.neighbouring_buurten(area.neighbourhood),
        # Preselects this buurt: one click makes it "my neighbourhood".
        "form": _choice_form(request, districts, selected=area.slug),
        "home": home,
        "is_home": home is not None and home.pk == area.neighbourhood.pk,
    }
    return render(request, "neighbourhoods/area.html", context)


@require_GET
def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.district_area(slug=slug)
    if area is None or area.district is None:
        raise Http404(_("No such district."))
    context = {
        **_area_context(request, area),
        "buurten": list(area.district.neighbourhoods.all()),
    }
    return render(request, "neighbourhoods/area.html", context)


def _calendar(area: selectors.Area | None) -> HttpResponse:
    if area is None:
        raise Http404(_("No such neighbourhood."))
    language = get_language() or "nl"
    if language not in content_languages():
        language = "nl"
    response = HttpResponse(
        area_calendar(area, language=language), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = f"public, max-age={ICAL_MAX_AGE}"
    response["Content-Disposition"] = f'inline; filename="{slugify(area.name) or "agenda"}.ics"'
    return response


@require_GET
def neighbourhood_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(selectors.neighbourhood_area(slug=slug))


@require_GET
def district_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(selectors.district_area(slug=slug))


def _next_url(request: HttpRequest, wanted: str, fallback: str) -> str:
    if (
        wanted
        and len(wanted) <= 2000
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return wanted
    return fallback


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """Keep (or, with `forget`, drop) the visitor's buurt; then back where they came from."""
    fallback = reverse("neighbourhoods:index")
    if "forget" in request.POST:
        response = HttpResponseRedirect(_next_url(request, request.POST.get("next", ""), fallback))
        if request.user.is_authenticated:
            home_neighbourhood_clear(actor=request.user)
        forget_cookie(response)
        messages.success(request, _("We no longer show a neighbourhood on the home page."))
        return response
    districts = selectors.districts_with_neighbourhoods()
    form = HomeNeighbourhoodForm(request.POST, districts=districts)
    if not form.is_valid():
        context = {"districts": districts, "form": form, "home": home_neighbourhood_for(request)}
        return render(request, "neighbourhoods/index.html", context, status=400)
    buurt = form.chosen()
    fallback = reverse("neighbourhoods:neighbourhood", kwargs={"slug": buurt.slug})
    response = HttpResponseRedirect(_next_url(request, form.cleaned_data["next"], fallback))
    if request.user.is_authenticated:
        home_neighbourhood_set(actor=request.user, neighbourhood=buurt)
    else:
        remember_in_cookie(response, buurt)
    messages.success(
        request, _("%(name)s is now your neighbourhood on the home page.") % {"name": buurt.name}
    )
    return response
