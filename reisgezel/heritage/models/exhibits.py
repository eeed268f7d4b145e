"""Exhibits: curated stories that lead a reader through objects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import TimeStampedModel


class Exhibit(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = TranslatedField(_("title"), max_length=200)
    summary = TranslatedField(_("summary"), blank=True, max_length=500)
    introduction = TranslatedField(_("introduction"), blank=True, multiline=True)
    cover = models.ForeignKey(
        "heritage.MediaFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    curator = models.CharField(_("curated by"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        constraints = [dutch_text_present("title")]

    def __str__(self) -> str:
        return str(self.title)


class ExhibitSection(models.Model):
    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    heading = TranslatedField(_("heading"), max_length=200)
    body = TranslatedField(_("text"), blank=True, multiline=True)
    media = models.ForeignKey(
        "heritage.MediaFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [dutch_text_present("heading")]

    def __str__(self) -> str:
        return str(self.heading)


class ExhibitObject(models.Model):
    """An object shown in a section, with what the curator says about it there."""

    section = models.ForeignKey(ExhibitSection, on_delete=models.CASCADE, related_name="items")
    object = models.ForeignKey(
        "heritage.HeritageObject", on_delete=models.CASCADE, related_name="exhibit_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    caption = TranslatedField(_("caption"), blank=True, multiline=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "object"], name="heritage_exhibitobject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.object}"
