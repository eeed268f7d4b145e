"""Admin for places and the CBS neighbourhoods (loaded from GeoJSON; read-mostly).

Places saved here go through reisgezel.places.services.place_update/place_create, so the
postcode is normalised and the buurt assigned from the coordinates, as on every path.
Place search goes through the search index (reisgezel.search.admin), as on the site;
the CBS areas, a few dozen rows, are found by exact name or code, or by list filters.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reisgezel.places.models import District, Neighbourhood, OpeningHours, Place
from reisgezel.places.search import DOC_TYPE as PLACE_DOC_TYPE
from reisgezel.places.services import PLACE_FIELDS, place_create, place_update, postcode_normalise
from reisgezel.search.admin import IndexedSearchMixin
from reisgezel.search.registry import remove_later


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class PlaceAdminForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = (
            "name",
            "description",
            "street",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "is_private",
            "website",
            "phone",
            "email",
            "facilities",
            "accessibility_notes",
        )

    def clean_postcode(self) -> str:
        # Normalised before the model's checks run ("6211kj" -> "6211 KJ"), as the service does.
        try:
            return postcode_normalise(self.cleaned_data.get("postcode", ""))
        except ValidationError as exc:  # keyed by "postcode": re-raise its messages here
            raise forms.ValidationError(exc.messages) from exc


@admin.register(Place)
class PlaceAdmin(IndexedSearchMixin, admin.ModelAdmin):
    form = PlaceAdminForm
    list_display = ("name", "street", "postcode", "city", "neighbourhood", "is_private")
    list_filter = ("is_private", "neighbourhood__district", "city")
    search_doc_type = PLACE_DOC_TYPE
    # Besides the index: a private address is not in it, its exact postcode still finds it.
    search_fields = ("=slug", "=postcode")
    readonly_fields = ("slug", "neighbourhood")
    filter_horizontal = ("facilities",)
    inlines = [OpeningHoursInline]
    list_select_related = ("neighbourhood",)

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in PLACE_FIELDS if name in form.cleaned_data}
        if change:
            place_update(place=obj, **data)
        else:
            created = place_create(**data)
            obj.pk, obj.slug, obj._state.adding = created.pk, created.slug, False

    def delete_model(self, request: HttpRequest, obj: Place) -> None:
        remove_later(PLACE_DOC_TYPE, [obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Place]) -> None:
        remove_later(PLACE_DOC_TYPE, list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("=name", "=code", "=slug")
    exclude = ("geometry",)
    readonly_fields = ("code",)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "district")
    list_filter = ("district",)
    search_fields = ("=name", "=code", "=slug")
    exclude = ("geometry",)
    readonly_fields = ("code",)


class OverRoomCapacityFilter(admin.SimpleListFilter):
    """Upcoming uses of rooms planned for more people than their room holds now: the room
    was made smaller after they were planned (`places.room_capacity`; the desk's room page
    lists a room's upcoming ones). Each app says which of its rows are over capacity."""

    title = _("fits the room")
    parameter_name = "fits_room"

    def over_capacity(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Upcoming, for more people than the room holds"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return self.over_capacity(queryset.filter(starts_at__gt=timezone.now()))
        return queryset
