"""Public pages of the learning app: the catalogue, courses and the teacher's pages
(see learning/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.learning.views import catalogue, teacher

urlpatterns: list[URLPattern | URLResolver] = [
    path("", catalogue.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", catalogue.course_detail, name="course"),
    path("discounts/", catalogue.schemes, name="catalogue_schemes"),
    path("teach/", teacher.teacher_home, name="teacher_home"),
    path("teach/<int:edition_id>/", teacher.teacher_edition, name="teacher_edition"),
    path(
        "teach/<int:edition_id>/sessions/<int:session_id>/",
        teacher.teacher_attendance,
        name="teacher_attendance",
    ),
]
