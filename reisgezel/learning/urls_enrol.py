"""Pages of the learning app: enrol, family account, learning journey (see learning/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.learning.views import enrol, family, journey

urlpatterns: list[URLPattern | URLResolver] = [
    path("enrol/<int:edition_id>/", enrol.enrol, name="enrol"),
    path("enrolments/<int:pk>/cancel/", enrol.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/convert/", enrol.enrolment_convert, name="enrolment_convert"),
    path("offers/<str:token>/", enrol.offer, name="offer"),
    path("family/", family.family, name="family"),
    path("family/<int:household_id>/children/new/", family.child_add, name="family_child_add"),
    path("family/children/<int:pk>/edit/", family.child_edit, name="family_child_edit"),
    path("family/children/<int:pk>/erase/", family.child_erase, name="family_child_erase"),
    path("journey/<int:participant_id>/", journey.journey, name="journey"),
    path("journey/<int:participant_id>/export/", journey.journey_export, name="journey_export"),
]
