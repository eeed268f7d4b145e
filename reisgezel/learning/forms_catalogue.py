"""The catalogue's filters, parsed once at the boundary.

Malformed input never reaches the query: the form answers with readable errors, the
view shows them beside the filters with a 400 and applies the filters that were fine.
Unknown codes (a discipline that does not exist) are not errors: they match nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reisgezel.learning.catalogue import CatalogueFilters, Sort
from reisgezel.learning.models import CourseKind, Level, LifeStage
from reisgezel.places.models import Weekday

PAGE_SIZES = (10, 20, 50)
SORT_CHOICES = [(Sort.START, _("Start date")), (Sort.TITLE, _("Title"))]


class _MultiCode(forms.MultipleChoiceField):
    """Any slug-like codes; unknown ones simply match nothing."""

    def valid_value(self, value: str) -> bool:
        return bool(value) and len(value) <= 80 and all(c.isalnum() or c in "-_" for c in value)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    discipline = _MultiCode(label=_("Discipline"), required=False)
    life_stage = forms.MultipleChoiceField(
        label=_("Life stage"), required=False, choices=LifeStage.choices
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    level = forms.MultipleChoiceField(label=_("Level"), required=False, choices=Level.choices)
    kind = forms.MultipleChoiceField(
        label=_("Kind of course"), required=False, choices=CourseKind.choices
    )
    weekday = forms.TypedMultipleChoiceField(
        label=_("Day of the week"),
        required=False,
        coerce=int,
        choices=[(str(value), label) for value, label in Weekday.choices],
    )
    neighbourhood = _MultiCode(label=_("Neighbourhood"), required=False)
    language = _MultiCode(label=_("Language"), required=False)
    facility = _MultiCode(label=_("Accessibility"), required=False)
    free_places = forms.BooleanField(label=_("Only with places left"), required=False)
    price_max = forms.DecimalField(
        label=_("Maximum price (EUR)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        max_digits=8,
        decimal_places=2,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10000)
    per_page = forms.TypedChoiceField(
        label=_("Results per page"),
        required=False,
        coerce=int,
        choices=[(str(n), str(n)) for n in PAGE_SIZES],
        empty_value=None,
    )

    def filters(self) -> CatalogueFilters:
        """The typed filters of a valid form."""
        assert self.is_valid(), "filters() needs a valid form"
        data: dict[str, Any] = self.cleaned_data
        return CatalogueFilters(
            disciplines=tuple(data.get("discipline") or ()),
            life_stages=tuple(data.get("life_stage") or ()),
            age=data.get("age"),
            levels=tuple(data.get("level") or ()),
            kinds=tuple(data.get("kind") or ()),
            weekdays=tuple(data.get("weekday") or ()),
            neighbourhoods=tuple(data.get("neighbourhood") or ()),
            languages=tuple(data.get("language") or ()),
            facilities=tuple(data.get("facility") or ()),
            free_places=bool(data.get("free_places")),
            price_max=data.get("price_max"),
            text=data.get("q") or "",
            sort=data.get("sort") or Sort.START,
            page=data.get("page") or 1,
            per_page=data.get("per_page") or 20,
        )


def usable_filters(form: CatalogueFilterForm) -> CatalogueFilters:
    """For an invalid form: the filters without the fields that have errors."""
    data = form.data.copy()  # type: ignore[attr-defined]
    for name in form.errors:
        data.pop(name, None)
    fallback = CatalogueFilterForm(data)
    if not fallback.is_valid():
        fallback = CatalogueFilterForm({})
        fallback.is_valid()
    return fallback.filters()
