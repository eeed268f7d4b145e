"""The search page's query string, parsed at the edge."""

from __future__ import annotations

from typing import Any

from django import forms

from reisgezel.search.registry import registered


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True)
    type = forms.ChoiceField(required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", "")] + [
            (name, str(t.label)) for name, t in sorted(registered().items())
        ]

    def values(self) -> tuple[str, str | None, int]:
        """(text, doc_type, page); a bad value counts as absent (a search box is not a form
        to be scolded about: a stale link keeps working)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        text = data.get("q") or ""
        if "q" in self.errors:  # too long: search its start rather than nothing
            text = str(self.data.get("q", ""))[:200]
        return text, data.get("type") or None, data.get("page") or 1
