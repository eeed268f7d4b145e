"""Provider pages: the courses an organisation offers, managed by its members
(/<lang>/learn/provider/...; see learning/views/provider.py)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.learning.views import provider, provider_editions

P = "provider/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P, provider.provider_home, name="provider_home"),
    path(
        f"{P}<slug:org_slug>/courses/new/",
        provider.provider_course_create,
        name="provider_course_create",
    ),
    path(
        f"{P}courses/<int:course_id>/edit/",
        provider.provider_course_edit,
        name="provider_course_edit",
    ),
    path(
        f"{P}courses/<int:course_id>/<slug:action>/",
        provider.provider_course_state,
        name="provider_course_state",
    ),
    path(
        f"{P}courses/<int:course_id>/editions/new/",
        provider_editions.provider_edition_create,
        name="provider_edition_create",
    ),
    path(
        f"{P}editions/<int:edition_id>/edit/",
        provider_editions.provider_edition_edit,
        name="provider_edition_edit",
    ),
    path(
        f"{P}editions/<int:edition_id>/cancel/",
        provider_editions.provider_edition_cancel,
        name="provider_edition_cancel",
    ),
    path(
        f"{P}editions/<int:edition_id>/sessions/",
        provider_editions.provider_sessions,
        name="provider_sessions",
    ),
    path(
        f"{P}editions/<int:edition_id>/sessions/regenerate/",
        provider_editions.provider_sessions_regenerate,
        name="provider_sessions_regenerate",
    ),
    path(
        f"{P}editions/<int:edition_id>/sessions/add/",
        provider_editions.provider_session_add,
        name="provider_session_add",
    ),
    path(
        f"{P}editions/<int:edition_id>/<slug:action>/",
        provider_editions.provider_edition_state,
        name="provider_edition_state",
    ),
    path(
        f"{P}sessions/<int:session_id>/move/",
        provider_editions.provider_session_move,
        name="provider_session_move",
    ),
    path(
        f"{P}sessions/<int:session_id>/cancel/",
        provider_editions.provider_session_cancel,
        name="provider_session_cancel",
    ),
    path(
        f"{P}sessions/<int:session_id>/restore/",
        provider_editions.provider_session_restore,
        name="provider_session_restore",
    ),
]
