"""The sign-up form; the rules are in accounts.signup (and Django's password validators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("As others see it, e.g. on your stories. A first name is enough."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm it; we never show it to others."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )


class AccountForm(forms.Form):
    """What a person changes about their own account (accounts.services.account_update)."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("As others see it, e.g. on your stories. A first name is enough."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of our e-mails"),
        choices=[("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch"), ("fr", "Français")],
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_("We send a link to it; the address changes once you have followed it."),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
