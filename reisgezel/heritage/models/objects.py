"""Collections and their objects: the records of the knowledge centre."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import TimeStampedModel
from reisgezel.heritage.rights import DEFAULT_RIGHTS, RIGHTS_CHOICES, validate_rights_uri


class CollectionKind(models.TextChoices):
    CERAMICS = "ceramics", _("Ceramics")
    NATURAL_HISTORY = "natural_history", _("Natural history")
    ARCHAEOLOGY = "archaeology", _("Archaeology")
    LIBRARY = "library", _("Library and literature")
    DIALECT = "dialect", _("Maastricht dialect")
    OTHER = "other", _("Other")


class Collection(TimeStampedModel):
    """A collection of one of the houses; also an OAI-PMH set and a IIIF collection."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CollectionKind.choices)
    name = TranslatedField(_("name"), max_length=200)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    institution = models.CharField(_("institution"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [dutch_text_present("name")]

    def __str__(self) -> str:
        return str(self.name)


class HeritageObject(TimeStampedModel):
    """One object or specimen. `pid` is the stable local identifier in its persistent
    URI (/id/object/<pid>); it never changes, even when the inventory number does."""

    pid = models.SlugField(_("persistent id"), max_length=80, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inventory_number = models.CharField(_("inventory number"), max_length=80)
    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, related_name="items", verbose_name=_("collection")
    )
    object_type = models.ForeignKey(
        "heritage.Concept",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme": "object_type"},
        verbose_name=_("object type"),
    )
    title = TranslatedField(_("title"), max_length=300)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    date_display = models.CharField(
        _("date"), max_length=100, blank=True, help_text=_('As shown, e.g. "c. 1850-1870".')
    )
    # "tweede helft 19e eeuw" is Dutch on an English page too: pages mark it with lang,
    # linked data with its language ("und" while it is empty, as for rows from before).
    date_display_language = models.CharField(
        _("language of the date"),
        max_length=3,
        blank=True,
        help_text=_('The language the date is written in, e.g. "nl"; empty when unknown.'),
    )
    date_earliest = models.SmallIntegerField(_("earliest year"), null=True, blank=True)
    date_latest = models.SmallIntegerField(_("latest year"), null=True, blank=True)
    production_place = models.CharField(_("place of production"), max_length=200, blank=True)
    production_place_uri = models.URLField(_("place URI"), blank=True, max_length=300)
    materials = models.ManyToManyField(
        "heritage.Concept",
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": "material"},
        verbose_name=_("materials"),
        db_table="heritage_object_materials",
    )
    techniques = models.ManyToManyField(
        "heritage.Concept",
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": "technique"},
        verbose_name=_("techniques"),
        db_table="heritage_object_techniques",
    )
    subjects = models.ManyToManyField(
        "heritage.Concept",
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": "subject"},
        verbose_name=_("subjects"),
        db_table="heritage_object_subjects",
    )
    dimensions_display = models.CharField(_("dimensions"), max_length=300, blank=True)
    provenance = TranslatedField(_("provenance"), blank=True, multiline=True)
    credit_line = TranslatedField(_("credit line"), blank=True, max_length=300)
    rights_uri = models.URLField(
        _("rights of the record"),
        max_length=100,
        choices=RIGHTS_CHOICES,
        default=DEFAULT_RIGHTS,
        validators=[validate_rights_uri],
    )
    is_public = models.BooleanField(_("public"), default=False, db_index=True)
    # Where an imported record came from: re-imports find it again by (source, source_id).
    source = models.CharField(_("source"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=200, blank=True)
    source_url = models.URLField(
        _("record in the source"),
        blank=True,
        max_length=500,
        help_text=_("Where the source system shows this record (LIDO recordInfoLink)."),
    )
    # A hash of the imported content: a re-import of an unchanged record writes nothing.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["collection", "inventory_number"]
        verbose_name = _("object")
        verbose_name_plural = _("objects")
        constraints = [
            dutch_text_present("title"),
            models.UniqueConstraint(
                fields=["collection", "inventory_number"],
                name="heritage_object_unique_inventory_number",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="heritage_object_unique_source_id",
            ),
            models.CheckConstraint(
                condition=models.Q(date_display_language="")
                | models.Q(date_display_language__regex=r"^[a-z]{2,3}$"),
                name="heritage_object_date_language_code",
                violation_error_message=_(
                    'The language of the date is a code of two or three small letters, e.g. "nl".'
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(date_earliest__isnull=True)
                | models.Q(date_latest__isnull=True)
                | models.Q(date_earliest__lte=models.F("date_latest")),
                name="heritage_object_dates_in_order",
            ),
        ]
        indexes = [
            # Harvest order (OAI-PMH keyset pages): bulk edits give many rows one datestamp.
            models.Index(
                fields=["is_public", "updated_at", "id"], name="heritage_obj_public_updated"
            ),
            models.Index(fields=["date_earliest", "date_latest"], name="heritage_obj_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} {self.title}"


class MakerRole(models.TextChoices):
    MAKER = "maker", _("Maker")
    DESIGNER = "designer", _("Designer")
    DECORATOR = "decorator", _("Decorator")
    MANUFACTURER = "manufacturer", _("Manufacturer")
    AUTHOR = "author", _("Author")
    ILLUSTRATOR = "illustrator", _("Illustrator")
    PUBLISHER = "publisher", _("Publisher")
    PHOTOGRAPHER = "photographer", _("Photographer")


class ObjectAgent(models.Model):
    """An agent's part in making an object ("decorator", "attributed to")."""

    object = models.ForeignKey(HeritageObject, on_delete=models.CASCADE, related_name="makers")
    agent = models.ForeignKey("heritage.Agent", on_delete=models.PROTECT, related_name="works")
    role = models.CharField(_("role"), max_length=20, choices=MakerRole.choices)
    attribution = models.CharField(
        _("attribution"), max_length=60, blank=True, help_text=_('E.g. "attributed to".')
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object", "agent", "role"], name="heritage_objectagent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} ({self.get_role_display()})"


class DimensionKind(models.TextChoices):
    HEIGHT = "height", _("Height")
    WIDTH = "width", _("Width")
    DEPTH = "depth", _("Depth")
    DIAMETER = "diameter", _("Diameter")
    LENGTH = "length", _("Length")
    WEIGHT = "weight", _("Weight")


class DimensionUnit(models.TextChoices):
    MM = "mm", "mm"
    CM = "cm", "cm"
    M = "m", "m"
    G = "g", "g"
    KG = "kg", "kg"


class Dimension(models.Model):
    object = models.ForeignKey(HeritageObject, on_delete=models.CASCADE, related_name="dimensions")
    kind = models.CharField(_("dimension"), max_length=20, choices=DimensionKind.choices)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=4, choices=DimensionUnit.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0), name="heritage_dimension_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} {self.unit}"


class InscriptionKind(models.TextChoices):
    MARK = "mark", _("Factory mark")
    SIGNATURE = "signature", _("Signature")
    INSCRIPTION = "inscription", _("Inscription")
    LABEL = "label", _("Label")


class Inscription(models.Model):
    """Marks and inscriptions: for ceramics the factory mark dates and places a piece."""

    object = models.ForeignKey(
        HeritageObject, on_delete=models.CASCADE, related_name="inscriptions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InscriptionKind.choices)
    transcription = models.CharField(_("transcription"), max_length=500, blank=True)
    position = models.CharField(_("position on the object"), max_length=100, blank=True)
    description = TranslatedField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.transcription}"


class Tombstone(models.Model):
    """A deleted object, kept forever so harvesters learn of the deletion (OAI-PMH
    `deletedRecord=persistent`) and its URI answers 410 Gone instead of 404."""

    pid = models.SlugField(max_length=80, unique=True)
    collection_code = models.SlugField(max_length=60)
    deleted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["deleted_at", "id"], name="heritage_tomb_deleted_id")]

    def __str__(self) -> str:
        return f"{self.pid} (deleted {self.deleted_at:%Y-%m-%d})"


class SetDeparture(models.Model):
    """An object left a collection (moved to another one): kept forever so that
    harvesters of that collection's OAI-PMH set learn the record is gone from it."""

    pid = models.SlugField(max_length=80)
    collection_code = models.SlugField(max_length=60)
    left_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["collection_code", "left_at", "id"], name="heritage_departure_set_at"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pid} left {self.collection_code} ({self.left_at:%Y-%m-%d})"
