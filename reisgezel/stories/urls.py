"""Pages of the stories app (mounted at /<lang>/stories/)."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.stories import views
from reisgezel.stories.feeds import LatestStoriesFeed

app_name = "stories"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.story_list, name="list"),
    path("tell/", views.story_submit, name="submit"),
    path("tell/thanks/", views.story_submitted, name="submitted"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("consent/<str:token>/", views.guardian, name="guardian"),
    path("consent/<str:token>/media/<uuid:uuid>/", views.guardian_media, name="guardian_media"),
    path("withdraw/<str:token>/", views.withdraw_link, name="withdraw_link"),
    path("map/", views.story_map, name="map"),
    path("map.json", views.story_map_json, name="map_json"),
    path("feed/", LatestStoriesFeed(), name="feed"),
    path("themes/", views.collection_list, name="collections"),
    path("themes/<slug:slug>/", views.collection_detail, name="collection"),
    path("mine/", views.my_stories, name="mine"),
    path("mine/export/", views.my_data_export, name="export"),
    path("mine/erase/", views.my_data_erase, name="erase"),
    path("mine/<uuid:uuid>/edit/", views.my_story_edit, name="edit"),
    path("mine/<uuid:uuid>/withdraw/", views.my_story_withdraw, name="withdraw"),
    path("mine/<uuid:uuid>/send/", views.my_story_send, name="send"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<uuid:uuid>/", views.moderate, name="moderate"),
    path("moderation/reports/<int:pk>/", views.report_resolve, name="report_resolve"),
    path("media/<uuid:uuid>/", views.story_media, name="media"),
    path("<uuid:uuid>/", views.story_detail, name="story"),
]
