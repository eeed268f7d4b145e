from django.urls import path

from reisgezel.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", views.agenda_list, name="list"),
    path("agenda/<int:pk>/<slug:slug>/", views.event_detail, name="event"),
    path("organisers/", views.directory, name="directory"),
    path("organisers/<slug:slug>/", views.organiser_detail, name="organiser"),
]
