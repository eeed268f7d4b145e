"""iCalendar URLs, mounted at /ical/ without a language prefix (see ical_views)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.agenda import ical_views

app_name = "ical"
urlpatterns: list[URLPattern | URLResolver] = [
    path("agenda.ics", ical_views.feed, name="feed"),
    path("event/<uuid:uuid>.ics", ical_views.event_file, name="event"),
]
