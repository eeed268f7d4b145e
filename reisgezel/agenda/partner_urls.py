"""Partner pages (/<lang>/partners/): organisations' own events, API tokens, moderation."""

from django.urls import path

from reisgezel.agenda import partner_profile
from reisgezel.agenda import partner_views as views

app_name = "partners"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:org_slug>/events/new/", views.event_create, name="event_create"),
    path("<slug:org_slug>/places/new/", views.place_new, name="place_create"),
    path("<slug:org_slug>/tokens/", views.tokens, name="tokens"),
    path("<slug:org_slug>/profile/", partner_profile.profile_edit, name="profile"),
    path("<slug:org_slug>/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/submit/", views.event_submit, name="event_submit"),
    path("events/<int:pk>/status/", views.event_status, name="event_status"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("events/<int:pk>/images/", views.event_images, name="event_images"),
    path(
        "events/<int:pk>/images/<int:image_id>/delete/",
        views.event_image_delete,
        name="event_image_delete",
    ),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_decide, name="moderation_decide"),
]
