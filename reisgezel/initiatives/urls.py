"""Pages of the initiatives app ("I have an idea"), mounted at /<lang>/ideas/."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.initiatives import views

app_name = "initiatives"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.detail, name="detail"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("triage/<int:pk>/coach/", views.staff_coach, name="staff_coach"),
    path("triage/<int:pk>/state/", views.staff_state, name="staff_state"),
    path("triage/<int:pk>/note/", views.staff_note, name="staff_note"),
]
