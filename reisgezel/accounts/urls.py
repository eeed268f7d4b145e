"""Sign in and out, sign up (residents), one's own account, and a forgotten or changed
password (Django's auth views)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy

from reisgezel.accounts import views

app_name = "accounts"
T = "accounts/"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name=T + "login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path(
        "signup/confirm/<str:uidb64>/<str:token>/",
        views.signup_confirmed,
        name="signup_confirm",
    ),
    path("welcome/", views.welcome, name="welcome"),
    path("me/", views.account, name="account"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("me/email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("email/undo/<str:token>/", views.email_undo, name="email_undo"),
    path(
        "me/password/",
        auth_views.PasswordChangeView.as_view(
            template_name=T + "password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "me/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=T + "password_change_done.html"),
        name="password_change_done",
    ),
    # Django's views: the same answer whether or not an address has an account; the
    # link works once and expires after PASSWORD_RESET_TIMEOUT.
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            template_name=T + "password_reset_form.html",
            email_template_name=T + "email/password_reset.txt",
            subject_template_name=T + "email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=T + "check_email.html",
            extra_context={
                "message": gettext_lazy(
                    "If the address belongs to an account, a link to choose a new password "
                    "is on its way. No message? Look in your spam folder."
                )
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=T + "password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
