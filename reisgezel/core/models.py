"""Shared kernel models: the multilingual taxonomy and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TermKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline")
    THEME = "theme", _("Theme")
    FACILITY = "facility", _("Accessibility facility")


class Term(models.Model):
    """A term of the shared multilingual taxonomy (disciplines, themes, facilities).

    Used by the agenda, learning and places: one vocabulary, so that "dance" in the
    agenda is the same "dance" in the course catalogue. `code` is stable and used in
    URLs, filters and feeds; `uri` points to an external vocabulary where one exists.
    """

    kind = models.CharField(max_length=20, choices=TermKind.choices)
    code = models.SlugField(max_length=60)
    label = TranslatedField(_("label"), max_length=120)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    uri = models.URLField(
        blank=True, help_text=_("Concept in an external vocabulary (AAT, Wikidata).")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="core_term_unique_code_per_kind"),
            dutch_text_present("label"),
        ]

    def __str__(self) -> str:
        return str(self.label)


class AuditEntry(models.Model):
    """Who did what to which record, when, and why. Written by services, never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
