"""Pages of the learning app: school programmes and the staff's fund reports (see
learning/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.learning.views import reports, schools

urlpatterns: list[URLPattern | URLResolver] = [
    path("schools/", schools.programmes, name="schools_programmes"),
    path("schools/bookings/", schools.bookings, name="schools_bookings"),
    path(
        "schools/bookings/<int:pk>/cancel/",
        schools.booking_cancel,
        name="schools_booking_cancel",
    ),
    path("schools/<slug:slug>/book/", schools.book, name="schools_book"),
    path("reports/funds/", reports.fund_report_page, name="reports_funds"),
]
