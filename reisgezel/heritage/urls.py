"""Public pages of the heritage knowledge centre, under /<lang>/collection/."""

from django.urls import path

from reisgezel.heritage import views

app_name = "heritage"
urlpatterns = [
    path("", views.collection_search, name="search"),
    path("object/<slug:pid>/", views.object_detail, name="object"),
    path("exhibits/", views.exhibit_list, name="exhibits"),
    path("exhibits/<slug:slug>/", views.exhibit_detail, name="exhibit"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("dictionary/<slug:slug>/", views.word_detail, name="word"),
]
