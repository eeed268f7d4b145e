"""Collection search filters: parsed once at the boundary, typed inside.

Malformed input never reaches a query: the form answers with readable errors, which
the view shows next to the filters with a 400 while it still searches with the
filters that were fine (so the page stays useful). Unknown codes are not errors:
they simply match nothing, as a link to a removed maker should.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reisgezel.heritage import search as keys

PARAMETERS = {
    keys.COLLECTION: "collection",
    keys.OBJECT_TYPE: "type",
    keys.MAKER: "maker",
    keys.MATERIAL: "material",
    keys.TECHNIQUE: "technique",
    keys.PLACE: "place",
    keys.HAS_IMAGE: "image",
    keys.REUSABLE: "reusable",
}
"""Facet names in the search index -> their query parameters on the search page."""
PAGE_SIZES = (24, 48, 96)
MIN_YEAR, MAX_YEAR = -9999, 9999
MAX_VALUES = 20
"""At most this many values per facet: more is no longer a person filtering."""


class Sort:
    RELEVANCE = "relevance"
    TITLE = "title"
    DATE = "date"
    DATE_DESC = "-date"
    INVENTORY = "inventory"
    RECENT = "recent"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (TITLE, _("Title (A-Z)")),
        (DATE, _("Date (oldest first)")),
        (DATE_DESC, _("Date (newest first)")),
        (INVENTORY, _("Inventory number")),
        (RECENT, _("Recently added")),
    ]


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the sort key and document id of the row next to it."""

    sort: str
    key: str | float
    doc: int

    def encode(self) -> str:
        raw = json.dumps([self.sort, self.key, self.doc], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError for anything this class did not encode."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            sort, key, doc = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as error:
            raise ValueError("not a cursor") from error
        valid_key = isinstance(key, float | int) if sort == Sort.RELEVANCE else isinstance(key, str)
        if not (
            sort in dict(Sort.CHOICES)
            and valid_key
            and not isinstance(key, bool)
            and isinstance(doc, int)
            and not isinstance(doc, bool)
            and 0 < doc < 2**63  # an id the databases can hold
            and len(str(key)) <= 2 * keys.SORT_KEY_CHARS
            and (not isinstance(key, str) or "\x00" not in key)  # PostgreSQL stores none
            and (isinstance(key, str) or math.isfinite(key))
        ):
            raise ValueError("not a cursor")
        return cls(sort=sort, key=float(key) if sort == Sort.RELEVANCE else key, doc=doc)


@dataclass(frozen=True)
class CollectionFilters:
    text: str = ""
    collections: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    makers: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    image: bool = False
    reusable: bool = False
    sort: str = Sort.RECENT
    after: Cursor | None = None
    before: Cursor | None = None
    per_page: int = PAGE_SIZES[0]

    def selected(self) -> dict[str, tuple[str, ...]]:
        """Chosen values per counted facet, by the facet's name in the search index."""
        return {
            keys.COLLECTION: self.collections,
            keys.OBJECT_TYPE: self.types,
            keys.MAKER: self.makers,
            keys.MATERIAL: self.materials,
            keys.TECHNIQUE: self.techniques,
            keys.PLACE: self.places,
            keys.HAS_IMAGE: (keys.YES,) if self.image else (),
            keys.REUSABLE: (keys.YES,) if self.reusable else (),
        }

    def match_parts(self) -> dict[str, Any]:
        """What decides the set of matches (not its order or the page): a cache key."""
        return {
            "text": self.text,
            "selected": self.selected(),
            "years": [self.year_from, self.year_to],
        }


class _Codes(forms.MultipleChoiceField):
    """Any slug-like codes; unknown codes match nothing."""

    def valid_value(self, value: str) -> bool:
        return 0 < len(value) <= 200 and all(c.isalnum() or c in "-_.:" for c in value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(
                _("Choose at most %(n)d values."), params={"n": MAX_VALUES}, code="too_many"
            )


class _Texts(_Codes):
    """Free-text facet values (places of production), as the index stores them."""

    def valid_value(self, value: str) -> bool:
        return 0 < len(value) <= 200 and value == " ".join(value.split())


class _CursorField(forms.CharField):
    """An opaque page link made by Cursor.encode (checked here, never trusted)."""

    MAX_CHARS = 600

    def to_python(self, value: Any) -> Cursor | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            if len(text) > self.MAX_CHARS:
                raise ValueError("too long")
            return Cursor.decode(text)
        except ValueError:
            raise forms.ValidationError(
                _("This page link is not valid (any more). Start again from the first page."),
                code="cursor",
            ) from None


class CollectionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the collection"), required=False, max_length=200)
    collection = _Codes(label=_("Collection"), required=False)
    type = _Codes(label=_("Object type"), required=False)
    maker = _Codes(label=_("Maker"), required=False)
    material = _Codes(label=_("Material"), required=False)
    technique = _Codes(label=_("Technique"), required=False)
    place = _Texts(label=_("Place of production"), required=False)
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    image = forms.BooleanField(label=_("With an image"), required=False)
    reusable = forms.BooleanField(label=_("Free to reuse"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.CHOICES)
    after = _CursorField(label=_("Next page"), required=False)
    before = _CursorField(label=_("Previous page"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Results per page"),
        required=False,
        coerce=int,
        choices=[(str(n), str(n)) for n in PAGE_SIZES],
        empty_value=None,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and last < first:
            self.add_error("year_to", _("The end year must not be before the start year."))
        if data.get("after") and data.get("before"):
            self.add_error("before", _("Use either the next or the previous page link."))
        sort = self.sort_order(data)
        for name in ("after", "before"):
            cursor = data.get(name)
            if cursor is not None and cursor.sort != sort:
                self.add_error(
                    name, _("This page link belongs to another sort order. Start again.")
                )
        return data

    @staticmethod
    def sort_order(data: dict[str, Any]) -> str:
        """The chosen order; relevance only makes sense with search words."""
        text = (data.get("q") or "").strip()
        sort = data.get("sort") or (Sort.RELEVANCE if text else Sort.RECENT)
        return Sort.RECENT if sort == Sort.RELEVANCE and not text else sort

    def filters(self) -> CollectionFilters:
        """The typed filters of a valid form."""
        assert self.is_valid(), "filters() needs a valid form"
        data = self.cleaned_data
        return CollectionFilters(
            text=(data.get("q") or "").strip(),
            collections=tuple(data.get("collection") or ()),
            types=tuple(data.get("type") or ()),
            makers=tuple(data.get("maker") or ()),
            materials=tuple(data.get("material") or ()),
            techniques=tuple(data.get("technique") or ()),
            places=tuple(data.get("place") or ()),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            image=bool(data.get("image")),
            reusable=bool(data.get("reusable")),
            sort=self.sort_order(data),
            after=data.get("after"),
            before=data.get("before"),
            per_page=data.get("per_page") or PAGE_SIZES[0],
        )

    def usable_filters(self) -> CollectionFilters:
        """For an invalid form: the filters without the fields that have errors."""
        data = self.data.copy()  # type: ignore[attr-defined]
        for name in self.errors:
            data.pop(name, None)
        if "year_to" in self.errors:
            data.pop("year_from", None)
        if "sort" in self.errors:
            data.pop("after", None)
            data.pop("before", None)
        fallback = CollectionFilterForm(data)
        if not fallback.is_valid():
            fallback = CollectionFilterForm({})
            fallback.is_valid()
        return fallback.filters()


def error_messages(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}
