"""Public agenda pages: home, the filtered agenda, events, organisers and the directory.

Views are thin: parse the request (forms), call selectors, render. The agenda list
answers htmx requests (HX-Request header) with only its results and facet partials.
"""

from __future__ import annotations

import hashlib
from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.agenda import pages, selectors
from reisgezel.agenda.cache import data_version
from reisgezel.agenda.filters import AgendaFilterForm, AgendaFilters, DatePreset
from reisgezel.agenda.jsonld import event_jsonld, organisation_jsonld
from reisgezel.agenda.models import CalendarType, Event
from reisgezel.agenda.selectors import EVENT_PAGE, FacetValue
from reisgezel.core.models import Term, TermKind
from reisgezel.core.sections import rendered_sections
from reisgezel.places.jsonld import script_json
from reisgezel.places.models import Neighbourhood
from reisgezel.places.selectors import neighbourhoods_by_district, opening_hours_by_day


def _filters_cache_key(request: HttpRequest) -> str:
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return f"{data_version()}:{query}"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def language_name(code: str, *, in_language: str | None = None) -> str:
    """The name of a language (ISO 639-1) in the active interface language, via babel."""
    try:
        locale = Locale.parse(in_language or translation.get_language() or "nl")
    except (ValueError, UnknownLocaleError):
        return code
    name = locale.languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def page_range(page: int, num_pages: int) -> list[int | None]:
    """Page numbers to show: first, last, and two around the current; None is a gap."""
    shown = sorted({1, num_pages, *range(max(1, page - 2), min(num_pages, page + 2) + 1)})
    result: list[int | None] = []
    for n in shown:
        if result and n - (result[-1] or 0) > 1:
            result.append(None)
        result.append(n)
    return result


# --- Home -------------------------------------------------------------------------------


def _quick_list(when: str, limit: int = 6) -> selectors.AgendaResult:
    form = AgendaFilterForm({"when": when, "per_page": "10"})
    form.is_valid()
    return selectors.agenda_page(form.filters(), with_facets=False)


def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    houses = pages.houses()
    context = {
        "today": _quick_list(DatePreset.TODAY),
        "weekend": _quick_list(DatePreset.WEEKEND),
        "highlights": pages.highlights(after=now),
        "houses": [
            (house, selectors.events_of_organiser(organisation=house, after=now, limit=3))
            for house in houses
        ],
        "disciplines": Term.objects.filter(kind=TermKind.DISCIPLINE).order_by("position", "code"),
    }
    return render(request, "agenda/home.html", context)


# --- Agenda list ------------------------------------------------------------------------


def _usable_filters(form: AgendaFilterForm) -> AgendaFilters:
    """For an invalid form: the filters without the fields that have errors."""
    data = form.data.copy()  # type: ignore[attr-defined]
    for name in form.errors:
        data.pop(name, None)
        if name == "date_to":
            data.pop("date_from", None)
    fallback = AgendaFilterForm(data)
    if not fallback.is_valid():
        fallback = AgendaFilterForm({})
        fallback.is_valid()
    return fallback.filters()


def _facet_groups(values: list[FacetValue]) -> list[tuple[str, list[FacetValue]]]:
    """Neighbourhood facet values grouped by district, districts alphabetically."""
    districts = neighbourhoods_by_district([v.value for v in values])
    grouped: dict[str, list[FacetValue]] = {}
    for value in values:
        district = districts.get(value.value)
        grouped.setdefault(district.name if district else str(_("Other")), []).append(value)
    return sorted(
        ((name, sorted(vals, key=lambda v: str(v.label))) for name, vals in grouped.items()),
        key=lambda g: g[0],
    )


def _with_selected(
    values: list[FacetValue], selected: tuple[str, ...], labels: dict[str, Any]
) -> list[FacetValue]:
    """Keep chosen values visible (with 0) even when nothing matches, so they can be unticked."""
    present = {v.value for v in values}
    missing = [
        FacetValue(code, labels.get(code, code), 0, True)
        for code in selected
        if code not in present
    ]
    return values + missing


def _facets_for_display(
    result: selectors.AgendaResult | None, filters: AgendaFilters
) -> dict[str, Any]:
    facets = result.facets if result is not None else {}
    disciplines = _with_selected(
        facets.get("discipline", []),
        filters.disciplines,
        {
            t.code: t.label
            for t in Term.objects.filter(kind=TermKind.DISCIPLINE, code__in=filters.disciplines)
        },
    )
    facilities = _with_selected(
        facets.get("facility", []),
        filters.facilities,
        {
            t.code: t.label
            for t in Term.objects.filter(kind=TermKind.FACILITY, code__in=filters.facilities)
        },
    )
    languages = _with_selected(facets.get("language", []), filters.languages, {})
    for value in languages:
        value.label = language_name(value.value)
    organisers = _with_selected(
        facets.get("organiser", []),
        filters.organisers,
        dict(Organisation.objects.filter(slug__in=filters.organisers).values_list("slug", "name")),
    )
    neighbourhoods = _with_selected(facets.get("neighbourhood", []), filters.neighbourhoods, {})
    free = facets.get("free", [FacetValue("1", "free", 0, filters.free)])
    return {
        "discipline": disciplines,
        "facility": facilities,
        "language": languages,
        "organiser": organisers,
        "neighbourhood_groups": _facet_groups(neighbourhoods),
        "free": free[0] if free else None,
    }


def agenda_list(request: HttpRequest) -> HttpResponse:
    form = AgendaFilterForm(request.GET)
    form.fields["page"].label = _("Page")
    form.fields["per_page"].label = _("Results per page")
    if form.is_valid():
        filters, status = form.filters(), 200
    else:
        filters, status = _usable_filters(form), 400
    result = selectors.agenda_page(filters)
    context = {
        "filters_cache_key": _filters_cache_key(request) if status == 200 else "",
        "form": form,
        "filters": filters,
        "result": result,
        # Read only when the filters' fragment is not in the cache (see list.html).
        "facets": SimpleLazyObject(lambda: _facets_for_display(result, filters)),
        "date_presets": DatePreset.CHOICES,
        "page_range": page_range(result.page, result.num_pages),
        "has_filters": any(k != "page" for k in request.GET),
    }
    template = "agenda/list.html#htmx_response" if is_htmx(request) else "agenda/list.html"
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


# --- Event ------------------------------------------------------------------------------


def event_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    # Published events for everyone; drafts and submissions as a preview for their
    # organisation's members and moderators (noindex, no JSON-LD, never cached).
    event = selectors.event_get_for(user=request.user, pk=pk)
    if event is None:
        raise Http404(_("No such event."))
    if slug != event.slug:
        canonical = reverse("agenda:event", kwargs={"pk": event.pk, "slug": event.slug})
        return HttpResponsePermanentRedirect(canonical)
    now = timezone.now()
    upcoming = selectors.upcoming_occurrences(event, after=now, limit=30)
    is_periodic = event.calendar_type in (CalendarType.PERIODIC, CalendarType.PERMANENT)
    context = {
        "event": event,
        "upcoming": upcoming,
        "is_periodic": is_periodic,
        "weekly": opening_hours_by_day(list(event.weekly_openings.all())) if is_periodic else [],
        "exceptions": [d for d in event.exception_dates.all() if d.date >= timezone.localdate()],
        "languages": [(lang.code, language_name(lang.code)) for lang in event.languages.all()],
        "tariffs": list(event.tariffs.all()),
        "images": list(event.images.all()),
        "jsonld": script_json(event_jsonld(event, upcoming=upcoming)) if event.is_public else "",
        "booking_open": _booking_state(event, now),
        # Sections of higher apps (residents' stories about the event); public events only.
        "sections": (
            rendered_sections(EVENT_PAGE, event, request=request, name="event")
            if event.is_public
            else []
        ),
    }
    response = render(request, "agenda/event.html", context)
    if not event.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


def _booking_state(event: Event, now: Any) -> str:
    if event.booking_opens_at and now < event.booking_opens_at:
        return "not_yet"
    if event.booking_closes_at and now >= event.booking_closes_at:
        return "closed"
    return "open"


# --- Organisers -------------------------------------------------------------------------


def organiser_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = (
        Organisation.objects.select_related("home_place", "home_place__neighbourhood")
        .prefetch_related("disciplines", "active_in")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if organisation is None:
        raise Http404(_("No such organiser."))
    items = selectors.events_of_organiser(organisation=organisation, after=timezone.now(), limit=30)
    context = {
        "organisation": organisation,
        "active_in": list(organisation.active_in.all()),
        "items": items,
        "jsonld": script_json(organisation_jsonld(organisation)),
    }
    return render(request, "agenda/organiser.html", context)


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    open_for_members = forms.BooleanField(label=_("Open for new members"), required=False)
    wants_volunteers = forms.BooleanField(label=_("Looking for volunteers"), required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(kind=TermKind.DISCIPLINE).order_by("position", "code")
        discipline = self.fields["discipline"]
        assert isinstance(discipline, forms.ChoiceField)
        discipline.choices = [
            ("", _("All disciplines")),
            *((t.code, str(t.label)) for t in terms),
        ]
        neighbourhood = self.fields["neighbourhood"]
        assert isinstance(neighbourhood, forms.ChoiceField)
        neighbourhood.choices = [
            ("", _("All neighbourhoods")),
            *Neighbourhood.objects.order_by("name").values_list("slug", "name"),
        ]


DIRECTORY_PAGE_SIZE = 24


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    data = form.cleaned_data if status == 200 else {}
    entries = pages.directory_entries(
        after=timezone.now(),
        kind=data.get("kind", ""),
        discipline=data.get("discipline", ""),
        neighbourhood=data.get("neighbourhood", ""),
        open_for_members=data.get("open_for_members", False),
        wants_volunteers=data.get("wants_volunteers", False),
    )
    paginator = Paginator(entries, DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(data.get("page") or 1)
    context = {
        "form": form,
        "entries": page.object_list,
        "total": paginator.count,
        "page": page.number,
        "num_pages": paginator.num_pages,
        "page_range": page_range(page.number, paginator.num_pages),
    }
    return render(request, "agenda/directory.html", context, status=status)
