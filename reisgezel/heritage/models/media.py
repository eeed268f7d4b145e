"""Images and audio of objects, exhibits and dictionary entries."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField
from reisgezel.core.models import TimeStampedModel
from reisgezel.heritage.rights import DEFAULT_RIGHTS, RIGHTS_CHOICES, validate_rights_uri


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")


class TileState(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("Not an image")
    PENDING = "pending", _("Waiting for tiles")
    READY = "ready", _("Tiles ready")
    FAILED = "failed", _("Tiling failed")


def media_upload_to(instance: MediaFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"heritage/{instance.key.hex[:2]}/{instance.key.hex}.{suffix}"


class MediaFile(TimeStampedModel):
    """A validated, normalised media file. Images get static IIIF level-0 tiles under
    IIIF_ROOT/<key>/ (info.json plus tiles), made by a task after upload."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    object = models.ForeignKey(
        "heritage.HeritageObject",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="media",
        verbose_name=_("object"),
    )
    file = models.FileField(_("file"), upload_to=media_upload_to, max_length=200)
    content_type = models.CharField(max_length=60, editable=False)
    size_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    duration_seconds = models.FloatField(null=True, blank=True, editable=False)
    alt_text = TranslatedField(
        _("alt text"),
        blank=True,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it. Required for images."),
    )
    caption = TranslatedField(_("caption"), blank=True, max_length=500)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    rights_uri = models.URLField(
        _("rights"),
        max_length=100,
        choices=RIGHTS_CHOICES,
        default=DEFAULT_RIGHTS,
        validators=[validate_rights_uri],
    )
    position = models.PositiveSmallIntegerField(default=0)
    tile_state = models.CharField(
        max_length=10, choices=TileState.choices, default=TileState.NOT_APPLICABLE
    )
    tile_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("media file")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="image") | models.Q(alt_text__has_key="nl"),
                name="heritage_mediafile_image_has_alt_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key.hex[:8]}"
