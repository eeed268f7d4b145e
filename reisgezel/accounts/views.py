"""Sign-up and password-reset pages: thin views over accounts.signup and accounts.limits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reisgezel.accounts.email_change import (
    email_change_confirm,
    email_change_request,
    email_change_undo,
)
from reisgezel.accounts.erasure import account_erase, account_erase_blockers
from reisgezel.accounts.forms import (
    AccountForm,
    EmailChangeForm,
    EraseForm,
    PasswordResetForm,
    SignupForm,
)
from reisgezel.accounts.limits import TooManyRequestsError, account_mail_check
from reisgezel.accounts.services import account_update
from reisgezel.accounts.signup import signup_confirm, signup_request
from reisgezel.core.rate_limits import client_ip

TEMPLATES = "accounts/"


def _add_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _posted(request: HttpRequest, form: Any, action: Any) -> HttpResponse | int:
    """A form page's POST: validate, then `action(cleaned_data)`, which does the work
    through a service and returns the response that follows success. Otherwise the
    status to show the form again with: 200 (GET), 400 (errors, the service's on their
    fields), 429 (a mail limit)."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    try:
        response: HttpResponse = action(form.cleaned_data)
    except TooManyRequestsError as exc:
        form.add_error(None, exc.message)
        return 429
    except ValidationError as exc:
        _add_errors(form, exc)
        return 400
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("agenda:home")
    form = SignupForm(request.POST if request.method == "POST" else None)

    def sign_up(data: dict[str, Any]) -> HttpResponse:
        signup_request(**data, language=get_language() or "nl", ip=client_ip(request))
        # The same page whether or not the address had an account already.
        return redirect("accounts:signup_sent")

    outcome = _posted(request, form, sign_up)
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, TEMPLATES + "signup.html", {"form": form}, status=outcome)


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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the limit on mails per address and per IP address, and a form
    that also reaches accounts whose password an undo cleared."""

    form_class = PasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            account_mail_check(
                action="reset", ip=client_ip(self.request), email=form.cleaned_data["email"]
            )
        except TooManyRequestsError as exc:
            form.add_error(None, exc.message)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """A person's own account: name and language; links to the rest of what is theirs."""
    user: Any = request.user
    initial = {"display_name": user.display_name, "preferred_language": user.preferred_language}
    form = AccountForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(data: dict[str, Any]) -> HttpResponse:
        account_update(user=user, **data)
        messages.success(request, _("Your account has been saved."))
        return redirect("accounts:account")

    outcome = _posted(request, form, save)
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, TEMPLATES + "account.html", {"form": form}, status=outcome)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """What deleting one's account does, what must be done first, and the confirmation."""
    user: Any = request.user
    form = EraseForm(request.POST if request.method == "POST" else None)

    def erase(data: dict[str, Any]) -> HttpResponse:
        account_erase(user=user, password=data["password"])
        logout(request)
        messages.success(request, _("Your account has been deleted. Goodbye!"))
        return redirect("agenda:home")

    outcome = _posted(request, form, erase)
    if isinstance(outcome, HttpResponse):
        return outcome
    context = {"form": form, "blockers": account_erase_blockers(user)}
    return render(request, TEMPLATES + "account_delete.html", context, status=outcome)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST if request.method == "POST" else None)

    def ask(data: dict[str, Any]) -> HttpResponse:
        email_change_request(
            user=request.user,
            new_email=data["new_email"],
            password=data["password"],
            ip=client_ip(request),
        )
        message = _(
            "We have sent a link to the new address. Your account keeps its current "
            "address until you have followed it."
        )
        return render(request, TEMPLATES + "check_email.html", {"message": message})

    outcome = _posted(request, form, ask)
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, TEMPLATES + "email_change.html", {"form": form}, status=outcome)


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST changes the address (mail scanners change nothing)."""
    done = _("Done. Our messages now go to this address.")
    return _link_page(request, token, email_change_confirm, _("Use this e-mail address"), done)


@require_http_methods(["GET", "POST"])
def email_undo(request: HttpRequest, token: str) -> HttpResponse:
    done = _(
        "Done. Your account has its old address again, and nobody is signed in with it. "
        "We have sent a link to choose a new password to that address."
    )
    return _link_page(request, token, email_change_undo, _("Undo the change of address"), done)


def _link_page(
    request: HttpRequest, token: str, action: Any, title: str, done: str
) -> HttpResponse:
    context: dict[str, Any] = {"title": title}
    if request.method == "POST":
        try:
            action(token=token)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, TEMPLATES + "email_link.html", context, status=400)
        context["done"] = done
    return render(request, TEMPLATES + "email_link.html", context)
