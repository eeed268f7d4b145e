"""Pages for guardian invitations (included by learning/urls.py under /<lang>/learn/)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.learning.views import invitations

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "family/<int:household_id>/guardians/invite/",
        invitations.guardian_invite,
        name="guardian_invite",
    ),
    path(
        "family/invitations/<int:pk>/revoke/",
        invitations.invitation_revoke,
        name="guardian_invitation_revoke",
    ),
    path(
        "family/<int:household_id>/guardians/leave/",
        invitations.guardian_leave,
        name="guardian_leave",
    ),
    path("family/join/<str:token>/", invitations.guardian_join, name="guardian_join"),
]
