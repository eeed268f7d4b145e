from django.urls import URLPattern, URLResolver

app_name = "ical"
urlpatterns: list[URLPattern | URLResolver] = []
