"""The partner form for adding an image to an event."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedFormField

RIGHTS_CHOICES = [
    ("https://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0 (credit the maker)")),
    ("https://creativecommons.org/licenses/by-sa/4.0/", _("CC BY-SA 4.0 (credit, share alike)")),
    ("https://creativecommons.org/publicdomain/zero/1.0/", _("CC0 (no rights reserved)")),
    ("http://rightsstatements.org/vocab/InC/1.0/", _("In copyright (used with permission)")),
]


class EventImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = TranslatedFormField(
        label=_("Alternative text"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    credit = forms.CharField(label=_("Credit"), max_length=200)
    rights_uri = forms.ChoiceField(label=_("Rights"), choices=RIGHTS_CHOICES)
