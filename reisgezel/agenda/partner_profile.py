"""The partner page where members edit their organisation's public profile.

As the other partner pages: an organisation that is not the user's answers 404; the
form parses, `reisgezel.accounts.profiles.organisation_profile_update` decides.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.accounts.profiles import TRANSLATED, ProfileInput, organisation_profile_update
from reisgezel.agenda.forms import add_service_errors
from reisgezel.agenda.partner_views import TEMPLATES, _organisation
from reisgezel.core.fields import ModelMultipleIdField, TranslatedFormField
from reisgezel.core.models import Term, TermKind
from reisgezel.places.models import Neighbourhood


class ProfileForm(forms.Form):
    description = TranslatedFormField(
        label=_("What you do"), required=False, multiline=True, max_length=5000
    )
    audience = TranslatedFormField(
        label=_("For whom"),
        required=False,
        max_length=300,
        help_text=_("E.g. “children and their parents” or “everyone who likes to sing”."),
    )
    age_min = forms.IntegerField(label=_("From age"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Up to age"), required=False, min_value=0, max_value=120)
    disciplines = ModelMultipleIdField(
        label=_("Disciplines"),
        required=False,
        queryset=Term.objects.filter(kind=TermKind.DISCIPLINE).order_by("position", "code"),
        widget=forms.CheckboxSelectMultiple,
    )
    active_in = ModelMultipleIdField(
        label=_("Active in these neighbourhoods"),
        required=False,
        queryset=Neighbourhood.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=120)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    open_for_members = forms.BooleanField(label=_("We welcome new members"), required=False)
    members_note = TranslatedFormField(
        label=_("About new members"),
        required=False,
        multiline=True,
        max_length=500,
        help_text=_("E.g. “We rehearse on Tuesdays, new tenors welcome.”"),
    )
    wants_volunteers = forms.BooleanField(label=_("We are looking for volunteers"), required=False)
    volunteers_note = TranslatedFormField(
        label=_("About volunteering"),
        required=False,
        multiline=True,
        max_length=500,
        help_text=_("E.g. “We need help at the door during our concerts.”"),
    )


def initial_profile(org: Organisation) -> dict[str, Any]:
    return {
        "description": org.description,
        "audience": org.audience,
        "age_min": org.age_min,
        "age_max": org.age_max,
        "disciplines": list(org.disciplines.all()),
        "active_in": list(org.active_in.all()),
        "contact_person": org.contact_person,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "open_for_members": org.open_for_members,
        "members_note": org.members_note,
        "wants_volunteers": org.wants_volunteers,
        "volunteers_note": org.volunteers_note,
    }


@login_required
def profile_edit(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _organisation(request, org_slug)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, initial=initial_profile(org))
    if data is not None and form.is_valid():
        try:
            organisation_profile_update(
                actor=request.user, organisation=org, data=ProfileInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, {}, exc)
        else:
            messages.success(request, gettext("The profile is saved."))
            return redirect("partners:dashboard")
    status = 400 if data is not None else 200
    return render(
        request,
        TEMPLATES + "profile_form.html",
        {"form": form, "org": org, "translated_fields": TRANSLATED},
        status=status,
    )
