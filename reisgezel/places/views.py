"""Public place pages: address, neighbourhood, accessibility, opening hours, and the
sections other apps register (the agenda's "what is on here")."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reisgezel.places import selectors
from reisgezel.places.jsonld import place_jsonld, script_json


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.place_get_public(slug=slug)
    if place is None:
        raise Http404(_("No such place."))
    context = {
        "place": place,
        "hours": selectors.opening_hours_by_day(list(place.opening_hours.all())),
        "sections": [
            render_to_string(section.template, {"place": place, **section.context}, request=request)
            for section in selectors.place_sections(place)
        ],
        "jsonld": script_json(
            place_jsonld(place, url=reverse("places:place", kwargs={"slug": slug}))
        ),
    }
    return render(request, "places/place.html", context)


def place_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.places_list(), 50)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "places": page.object_list,
        "page": page.number,
        "num_pages": paginator.num_pages,
        "page_range": [
            n if isinstance(n, int) else None for n in paginator.get_elided_page_range(page.number)
        ],
    }
    return render(request, "places/list.html", context)
