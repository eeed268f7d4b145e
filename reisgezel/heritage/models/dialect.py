"""The Maastricht dialect dictionary (Mestreechs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import TimeStampedModel


class PartOfSpeech(models.TextChoices):
    NOUN = "noun", _("noun")
    VERB = "verb", _("verb")
    ADJECTIVE = "adjective", _("adjective")
    ADVERB = "adverb", _("adverb")
    PRONOUN = "pronoun", _("pronoun")
    PREPOSITION = "preposition", _("preposition")
    CONJUNCTION = "conjunction", _("conjunction")
    INTERJECTION = "interjection", _("interjection")
    NUMERAL = "numeral", _("numeral")
    EXPRESSION = "expression", _("expression")


class GrammaticalGender(models.TextChoices):
    MASCULINE = "m", _("masculine")
    FEMININE = "f", _("feminine")
    NEUTER = "n", _("neuter")


class DialectEntry(TimeStampedModel):
    lemma = models.CharField(_("word (Mestreechs)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    variants = models.CharField(
        _("spelling variants"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    pronunciation = models.CharField(_("pronunciation (IPA)"), max_length=120, blank=True)
    audio = models.ForeignKey(
        "heritage.MediaFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "audio"},
        verbose_name=_("pronunciation audio"),
    )
    part_of_speech = models.CharField(
        _("part of speech"), max_length=20, choices=PartOfSpeech.choices
    )
    gender = models.CharField(
        _("gender"), max_length=1, choices=GrammaticalGender.choices, blank=True
    )
    plural = models.CharField(_("plural"), max_length=120, blank=True)
    etymology = TranslatedField(_("origin"), blank=True, multiline=True)
    related_objects = models.ManyToManyField(
        "heritage.HeritageObject", blank=True, related_name="dialect_entries"
    )
    related_exhibits = models.ManyToManyField(
        "heritage.Exhibit", blank=True, related_name="dialect_entries"
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["lemma"]
        verbose_name = _("dictionary entry")
        verbose_name_plural = _("dictionary entries")

    def __str__(self) -> str:
        return self.lemma


class DialectSense(models.Model):
    """One meaning of an entry, in Dutch (required) and English."""

    entry = models.ForeignKey(DialectEntry, on_delete=models.CASCADE, related_name="senses")
    position = models.PositiveSmallIntegerField(default=0)
    meaning = TranslatedField(_("meaning"), max_length=500)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [dutch_text_present("meaning")]

    def __str__(self) -> str:
        return str(self.meaning)


class DialectExample(models.Model):
    entry = models.ForeignKey(DialectEntry, on_delete=models.CASCADE, related_name="examples")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("example (Mestreechs)"), max_length=500)
    translation = TranslatedField(_("translation"), max_length=500)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [dutch_text_present("translation")]

    def __str__(self) -> str:
        return self.text
