"""Sign-up pages: thin views over accounts.signup."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reisgezel.accounts.forms import SignupForm
from reisgezel.accounts.signup import signup_confirm, signup_request

TEMPLATES = "accounts/"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("agenda:home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signup_request(**form.cleaned_data, language=get_language() or "nl")
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                # The same page whether or not the address had an account already.
                return redirect("accounts:signup_sent")
        status = 400
    return render(request, TEMPLATES + "signup.html", {"form": form}, status=status)


def signup_sent(request: HttpRequest) -> HttpResponse:
    message = _(
        "We have sent a message to the address you gave. Follow the link in it to start "
        "using your account. No message? Look in your spam folder, or sign up again in a "
        "few minutes."
    )
    return render(request, TEMPLATES + "check_email.html", {"message": message})


@require_http_methods(["GET", "POST"])
def signup_confirmed(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button; the POST activates (a mail scanner following links changes
    nothing)."""
    if request.method == "GET":
        return render(request, TEMPLATES + "signup_confirm.html", {"valid": True})
    user = signup_confirm(uidb64=uidb64, token=token)
    if user is None:
        return render(request, TEMPLATES + "signup_confirm.html", {"valid": False}, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("accounts:welcome")


def welcome(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "welcome.html")
