"""The "my neighbourhood" form: one select of every buurt, grouped by wijk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reisgezel.places.models import District, Neighbourhood


def buurt_choices(districts: list[District]) -> list[tuple[str, Any]]:
    """Choices for a select: ("", prompt), then one optgroup per wijk."""
    return [
        ("", _("Choose your neighbourhood")),
        *[
            (district.name, [(b.slug, b.name) for b in district.neighbourhoods.all()])
            for district in districts
        ],
    ]


class HomeNeighbourhoodForm(forms.Form):
    neighbourhood = forms.ChoiceField(
        label=_("My neighbourhood"),
        help_text=_("We show what is on there on the home page."),
        error_messages={"required": _("Choose a neighbourhood from the list.")},
    )
    # Where to go back to: any length (a page with a long query string); the view checks
    # it is on this site, and a too long or odd one only means going to the buurt page.
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = buurt_choices(districts)
        # For the template, which writes the optgroups itself (the prompt comes first).
        self.groups = [
            (district.name, [(b.slug, b.name) for b in district.neighbourhoods.all()])
            for district in districts
        ]

    def chosen(self) -> Neighbourhood:
        """The chosen buurt (after is_valid())."""
        return (
            Neighbourhood.objects.defer("geometry")
            .select_related("district")
            .defer("district__geometry")
            .get(slug=self.cleaned_data["neighbourhood"])
        )
