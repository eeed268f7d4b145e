"""Pages of the neighbourhoods app, under /<lang>/neighbourhoods/.

Wijken live under district/ so that a buurt's slug can never hide a wijk's page.
"""

from django.urls import URLPattern, URLResolver, path

from reisgezel.neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("my-neighbourhood/", views.choose, name="choose"),
    path("district/<slug:slug>/", views.district_detail, name="district"),
    path("district/<slug:slug>/calendar.ics", views.district_calendar, name="district_calendar"),
    path("<slug:slug>/", views.neighbourhood_detail, name="neighbourhood"),
    path("<slug:slug>/calendar.ics", views.neighbourhood_calendar, name="neighbourhood_calendar"),
]
