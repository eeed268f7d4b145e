"""Admin for media files: uploads and edits through the media service (heritage/media.py).

An upload is checked and stored by `media_add` while the form is validated, so that a
refused file (wrong type, too large, a decompression bomb, no alt text) comes back as a
form error next to the field; the admin's view runs in one transaction, so nothing of a
failed save stays behind in the database.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reisgezel.heritage.iiif.tiles import service_id
from reisgezel.heritage.media import media_add, media_remove, media_update
from reisgezel.heritage.models import MediaFile, TileState
from reisgezel.heritage.tasks import make_tiles

EDITABLE = ("alt_text", "caption", "credit", "rights_uri", "position")


class MediaUploadForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("File"),
        help_text=_("An image (JPEG, PNG, WebP, TIFF) or a sound file (MP3, Ogg, WAV, M4A)."),
    )
    actor: ClassVar[Any] = None
    created: MediaFile | None = None

    class Meta:
        model = MediaFile
        fields = ("object", *EDITABLE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("upload")
        if upload is None or self.errors:
            return cleaned
        try:
            self.created = media_add(
                actor=self.actor,
                data=upload.read(),
                obj=cleaned.get("object"),
                alt_text=cleaned.get("alt_text"),
                caption=cleaned.get("caption"),
                credit=cleaned.get("credit", ""),
                rights_uri=cleaned.get("rights_uri", ""),
                position=cleaned.get("position"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = "upload" if field == "file" else field
                self.add_error(name if name in self.fields else None, errors)
        return cleaned


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    list_display = ("short_key", "kind", "object", "tile_state", "rights_uri", "created_at")
    list_filter = ("kind", "tile_state", "rights_uri")
    list_select_related = ("object",)
    search_fields = ("=key",)  # see get_search_results
    raw_id_fields = ("object",)
    readonly_fields = (
        "key",
        "kind",
        "object",
        "file",
        "content_type",
        "size_bytes",
        "width",
        "height",
        "duration_seconds",
        "tile_state",
        "tile_error",
        "iiif",
    )
    actions = ["make_tiles_again"]

    @admin.display(description=_("key"))
    def short_key(self, media: MediaFile) -> str:
        return media.key.hex[:12]

    @admin.display(description=_("IIIF image service"))
    def iiif(self, media: MediaFile) -> str:
        if media.tile_state != TileState.READY:
            return "-"
        info = service_id(media.key) + "/info.json"
        return format_html('<a href="{}">{}</a>', info, info)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = type("MediaUpload", (MediaUploadForm,), {"actor": request.user})
            kwargs["fields"] = ("upload", *MediaUploadForm.Meta.fields)
        else:
            kwargs["fields"] = EDITABLE
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": ("upload", *MediaUploadForm.Meta.fields)})]
        return [(None, {"fields": EDITABLE}), (_("File"), {"fields": self.readonly_fields})]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[MediaFile], search_term: str
    ) -> tuple[QuerySet[MediaFile], bool]:
        """An object's inventory number or pid, exactly."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(object__inventory_number=term) | Q(object__pid=term)), False

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if not change:
            return form.created  # stored by media_add while the form was validated
        return super().save_form(request, form, change)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            return
        stored = MediaFile.objects.get(pk=obj.pk)  # the audit entry records the old values
        media_update(
            actor=request.user, media=stored, **{f: form.cleaned_data[f] for f in EDITABLE}
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Media files have no relations edited here (and uploads never ran form.save)."""

    def delete_model(self, request: HttpRequest, obj: MediaFile) -> None:
        media_remove(actor=request.user, media=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MediaFile]) -> None:
        for media in queryset:
            media_remove(actor=request.user, media=media)

    @admin.action(description=_("Make the IIIF tiles again"), permissions=["change"])
    def make_tiles_again(self, request: HttpRequest, queryset: QuerySet[MediaFile]) -> None:
        ids = list(queryset.filter(kind="image").values_list("pk", flat=True))
        MediaFile.objects.filter(pk__in=ids).update(tile_state=TileState.PENDING, tile_error="")
        for media_id in ids:
            transaction.on_commit(partial(make_tiles.enqueue, media_id=media_id, force=True))
        images = ids
        self.message_user(request, _("%(n)d images queued for tiling.") % {"n": len(images)})
