"""Forms of the initiatives pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reisgezel.initiatives.models import HelpKind, InitiativeState
from reisgezel.initiatives.permissions import coach_candidates
from reisgezel.places.models import Neighbourhood


class InitiativeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. “A summer festival in our street”."),
    )
    description = forms.CharField(
        label=_("Your idea"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What do you want to do, for whom, and when?"),
    )
    help_needed = forms.MultipleChoiceField(
        label=_("What help do you need?"),
        required=False,
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        required=False,
        queryset=Neighbourhood.objects.order_by("name"),
        empty_label=_("Not tied to a neighbourhood"),
    )


class TriageFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *InitiativeState.choices]
    )
    coach = forms.ChoiceField(label=_("Coach"), required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        required=False,
        queryset=Neighbourhood.objects.order_by("name"),
        empty_label=_("All neighbourhoods"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coach = self.fields["coach"]
        assert isinstance(coach, forms.ChoiceField)
        coach.choices = [
            ("", _("Any coach")),
            ("none", _("No coach yet")),
            *((str(u.pk), str(u)) for u in coach_candidates()),
        ]


class CoachForm(forms.Form):
    coach = forms.ModelChoiceField(
        label=_("Coach"), required=False, queryset=coach_candidates(), empty_label=_("No coach")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coach = self.fields["coach"]
        assert isinstance(coach, forms.ModelChoiceField)
        coach.queryset = coach_candidates()


class StateForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=InitiativeState.choices)
    reason = forms.CharField(
        label=_("Reason (shown to the initiator)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline the idea."),
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_state = self.fields["to_state"]
        assert isinstance(to_state, forms.ChoiceField)
        to_state.choices = [(s, InitiativeState(s).label) for s in allowed]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (only staff see it)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field errors on the form (unknown fields become form errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
