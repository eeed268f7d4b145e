"""The accounts' forms; the rules are in the services (accounts.signup, .services,
.email_change, .erasure) and Django's password validators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import _unicode_ci_compare  # type: ignore[attr-defined]
from django.utils.translation import gettext_lazy as _


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("As others see it, e.g. on your stories. A first name is enough."),
    )


def current_password_field(help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=help_text,
    )


class SignupForm(forms.Form):
    display_name = display_name_field()
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


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, which also reaches accounts without a usable password: undoing a
    change of address clears it (accounts.email_change), and a person whose mailed link
    was lost or expired must still be able to choose a new one. We have no other way
    of signing in (Django skips such accounts for single sign-on)."""

    def get_users(self, email: str) -> Iterator[Any]:
        active = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in active if _unicode_ci_compare(email, user.email))


class AccountForm(forms.Form):
    """What a person changes about their own account (accounts.services.account_update)."""

    display_name = display_name_field()
    preferred_language = forms.ChoiceField(
        label=_("Language of our e-mails"),
        choices=[("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch"), ("fr", "Français")],
    )


class EraseForm(forms.Form):
    password = current_password_field(_("To be sure it is you."))


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_("We send a link to it; the address changes once you have followed it."),
    )
    password = current_password_field()
