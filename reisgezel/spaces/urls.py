"""Pages of room and studio booking, under /<lang>/spaces/."""

from django.urls import URLPattern, URLResolver, path

from reisgezel.spaces import views, views_closures, views_desk_bookings, views_rooms

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.room_list, name="room_list"),
    path("rooms/<slug:slug>/", views.room_detail, name="room_detail"),
    path("rooms/<slug:slug>/calendar.ics", views.room_ical, name="room_ical"),
    path("rooms/<slug:slug>/book/", views.booking_new, name="booking_new"),
    path("groups/new/", views.group_new, name="group_new"),
    path("my/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("staff/", views.staff_queue, name="staff_queue"),
    path("staff/groups/<int:pk>/", views.staff_group_decide, name="staff_group_decide"),
    path("staff/bookings/<int:pk>/", views.staff_booking_decide, name="staff_booking_decide"),
    path("staff/invoices/", views.staff_invoices, name="staff_invoices"),
    path("staff/bookings/", views_desk_bookings.desk_bookings, name="desk_bookings"),
    path("staff/closures/", views_closures.desk_closure_add, name="desk_closure_add"),
    path(
        "staff/closures/<int:pk>/remove/",
        views_closures.desk_closure_remove,
        name="desk_closure_remove",
    ),
    path("staff/rooms/<slug:slug>/", views_rooms.desk_room_edit, name="desk_room_edit"),
    path(
        "staff/rooms/<slug:slug>/photos/",
        views_rooms.desk_room_photo_add,
        name="desk_room_photo_add",
    ),
    path(
        "staff/rooms/<slug:slug>/photos/<int:pk>/",
        views_rooms.desk_room_photo_change,
        name="desk_room_photo_change",
    ),
    path(
        "staff/rooms/<slug:slug>/photos/<int:pk>/remove/",
        views_rooms.desk_room_photo_remove,
        name="desk_room_photo_remove",
    ),
]
