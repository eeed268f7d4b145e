"""Controlled vocabularies (object types, materials, techniques, subjects) and agents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import TimeStampedModel


class ConceptScheme(models.TextChoices):
    OBJECT_TYPE = "object_type", _("Object type")
    MATERIAL = "material", _("Material")
    TECHNIQUE = "technique", _("Technique")
    SUBJECT = "subject", _("Subject")


class Concept(models.Model):
    """A concept from a vocabulary, ideally with its URI in the Getty AAT or Wikidata.

    `code` is our stable key within the scheme (used in filters and imports); `uri` is
    the concept's identity in the outside world and what linked data exports carry.
    """

    scheme = models.CharField(_("scheme"), max_length=20, choices=ConceptScheme.choices)
    code = models.SlugField(_("code"), max_length=120)
    label = TranslatedField(_("label"), max_length=200)
    uri = models.URLField(_("URI"), blank=True, max_length=300)
    broader = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="narrower"
    )

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="heritage_concept_unique_code"),
            dutch_text_present("label"),
        ]

    def __str__(self) -> str:
        return str(self.label)


class AgentKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Agent(TimeStampedModel):
    """A maker, collector, author or firm: people and organisations (Sphinx, Mosa)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    sort_name = models.CharField(_("sort name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    dates_display = models.CharField(
        _("life dates"), max_length=100, blank=True, help_text=_("As shown, e.g. 1795-1883.")
    )
    birth_year = models.SmallIntegerField(_("birth or founding year"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("death or closing year"), null=True, blank=True)
    biography = TranslatedField(_("biography"), blank=True, multiline=True)
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, help_text=_("For example Q2289446.")
    )
    rkd_id = models.CharField(_("RKD id"), max_length=20, blank=True)
    uri = models.URLField(_("other authority URI"), blank=True, max_length=300)

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="heritage_agent_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(death_year__isnull=True)
                | models.Q(birth_year__lte=models.F("death_year")),
                name="heritage_agent_life_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dates_display})" if self.dates_display else self.name

    @property
    def same_as(self) -> list[str]:
        """External identities, for JSON-LD `sameAs` and Linked Art `equivalent`."""
        uris = []
        if self.wikidata_id:
            uris.append(f"http://www.wikidata.org/entity/{self.wikidata_id}")
        if self.rkd_id:
            uris.append(f"https://rkd.nl/explore/artists/{self.rkd_id}")
        if self.uri:
            uris.append(self.uri)
        return uris
