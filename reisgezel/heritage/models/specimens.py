"""Natural-history data on an object: what Darwin Core calls an occurrence."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class BasisOfRecord(models.TextChoices):
    FOSSIL = "FossilSpecimen", _("Fossil specimen")
    PRESERVED = "PreservedSpecimen", _("Preserved specimen")
    LIVING = "LivingSpecimen", _("Living specimen")
    MATERIAL_SAMPLE = "MaterialSample", _("Material sample")
    HUMAN_OBSERVATION = "HumanObservation", _("Observation")


class Specimen(models.Model):
    """The specimen side of a natural-history object (one per object)."""

    object = models.OneToOneField(
        "heritage.HeritageObject", on_delete=models.CASCADE, related_name="specimen"
    )
    basis_of_record = models.CharField(
        _("basis of record"), max_length=30, choices=BasisOfRecord.choices
    )
    scientific_name = models.CharField(_("scientific name"), max_length=200)
    scientific_name_authorship = models.CharField(_("authorship"), max_length=200, blank=True)
    taxon_rank = models.CharField(_("rank"), max_length=30, blank=True)
    kingdom = models.CharField(_("kingdom"), max_length=60, blank=True)
    phylum = models.CharField(_("phylum"), max_length=60, blank=True)
    class_name = models.CharField(_("class"), max_length=60, blank=True)
    order = models.CharField(_("order"), max_length=60, blank=True)
    family = models.CharField(_("family"), max_length=60, blank=True)
    genus = models.CharField(_("genus"), max_length=60, blank=True)
    vernacular_name = models.CharField(_("common name"), max_length=200, blank=True)
    type_status = models.CharField(
        _("type status"), max_length=100, blank=True, help_text=_("E.g. holotype, paratype.")
    )
    locality = models.CharField(_("locality"), max_length=300, blank=True)
    country_code = models.CharField(_("country code"), max_length=2, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    locality_is_sensitive = models.BooleanField(
        _("sensitive locality"),
        default=False,
        help_text=_(
            "Publish only a generalised locality (0.1 degree, about 10 km) and no site "
            "description, e.g. to protect a fossil site from collectors."
        ),
    )
    geological_group = models.CharField(_("group"), max_length=100, blank=True)
    formation = models.CharField(_("formation"), max_length=100, blank=True)
    member = models.CharField(_("member"), max_length=100, blank=True)
    bed = models.CharField(_("bed"), max_length=100, blank=True)
    stage = models.CharField(
        _("stage"), max_length=100, blank=True, help_text=_("E.g. Maastrichtian.")
    )
    recorded_by = models.CharField(_("collector"), max_length=200, blank=True)
    collector = models.ForeignKey(
        "heritage.Agent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collected",
        verbose_name=_("collector (agent)"),
    )
    event_date = models.CharField(
        _("date collected"),
        max_length=40,
        blank=True,
        help_text=_("ISO 8601: 1998-05-12, 1998-05 or an interval 1998/1999."),
    )
    individual_count = models.PositiveIntegerField(
        _("number of individuals"), null=True, blank=True
    )
    preparations = models.CharField(_("preparations"), max_length=200, blank=True)
    # The source's own id, not the export's occurrenceID (docs/open-data.md): specimens
    # of two sources can share one, and a record's occurrenceID must never change.
    occurrence_id = models.CharField(
        _("occurrence id"),
        max_length=200,
        blank=True,
        help_text=_(
            "The id the source gave this specimen (its occurrenceID there). The Darwin "
            "Core export publishes it as otherCatalogNumbers; the export's occurrenceID "
            "is the object's persistent URI."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="heritage_specimen_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="heritage_specimen_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="heritage_specimen_coordinates_paired",
            ),
        ]

    def __str__(self) -> str:
        return self.scientific_name

    def public_coordinates(self) -> tuple[Decimal, Decimal, int | None] | None:
        """Coordinates as they may be published: generalised to 0.1 degree (with the
        uncertainty widened to match) for a sensitive locality."""
        if self.latitude is None or self.longitude is None:
            return None
        if not self.locality_is_sensitive:
            return self.latitude, self.longitude, self.coordinate_uncertainty_m
        step = Decimal("0.1")
        return (
            self.latitude.quantize(step),
            self.longitude.quantize(step),
            max(self.coordinate_uncertainty_m or 0, 10_000),
        )

    def public_locality(self) -> str:
        return public_locality(self.locality, self.locality_is_sensitive)


def public_locality(locality: str, is_sensitive: bool) -> str:
    """The locality as the public may read it (and search for it): none of a sensitive
    site."""
    return "" if is_sensitive else locality
