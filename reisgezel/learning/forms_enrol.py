"""Forms of the enrolment and family pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reisgezel.core.date_range import DateField
from reisgezel.learning.models import Participant

LANGUAGE_CHOICES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class HouseholdSetupForm(forms.Form):
    """The first visit to the family page: who you are."""

    given_name = forms.CharField(label=_("First name"), max_length=80)
    family_name = forms.CharField(label=_("Last name"), max_length=120)
    birth_date = DateField(
        label=_("Date of birth"),
        widget=DateInput(),
        help_text=_("Courses are for an age range; we use it to check that a course fits."),
    )
    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=LANGUAGE_CHOICES, initial="nl"
    )


class ChildForm(forms.Form):
    """Add or change a child profile (under 16, without a login)."""

    given_name = forms.CharField(label=_("First name"), max_length=80)
    family_name = forms.CharField(label=_("Last name"), max_length=120)
    birth_date = DateField(label=_("Date of birth"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=LANGUAGE_CHOICES, initial="nl"
    )
    notes_for_teacher = forms.CharField(
        label=_("Notes for the teacher"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what a teacher needs to know (e.g. an allergy or a hearing aid)."),
    )
    consent = forms.BooleanField(
        label=_("I am this child's parent or guardian and I give consent"),
        required=False,
        help_text=_(
            "A child under 16 has no account of their own. You manage the profile, you are "
            "the contact for the teachers, and you can export or change the data at any time."
        ),
    )

    def __init__(self, *args: Any, with_consent: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_consent:
            del self.fields["consent"]


class EnrolForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Who takes part?"),
        queryset=Participant.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    trial = forms.BooleanField(
        label=_("I would like a trial lesson first"),
        required=False,
        help_text=_("You take part in one lesson; afterwards you can turn it into an enrolment."),
    )

    def __init__(
        self,
        *args: Any,
        participants: QuerySet[Participant],
        trial_offered: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        participant_field = self.fields["participant"]
        assert isinstance(participant_field, forms.ModelChoiceField)
        participant_field.queryset = participants
        participant_field.label_from_instance = _participant_label  # type: ignore[method-assign,assignment]
        if not trial_offered:
            del self.fields["trial"]


def _participant_label(participant: Participant) -> str:
    return f"{participant.given_name} {participant.family_name}"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you cancel?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The provider reads this; it helps them plan."),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise ValidationError(_("Please give a reason."))
        return reason


class OfferForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Yes, I take the place")), ("decline", _("No, thank you"))],
        widget=forms.RadioSelect,
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or on the form)."""
    errors = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
    for key, messages in errors.items():
        field = key if key in form.fields else None
        form.add_error(field, messages)
