"""Residents' stories (after Historypin and Omeka Contribution).

A story is told by a resident, with or without an account, under a licence they chose.
It is published only after moderation, and only when every consent is in place: the
contributor's e-mail address is confirmed (or they have an account), recognisable
people agreed, and a guardian agreed for a contributor under 16. The database refuses
a published story without these (see Story.Meta.constraints).

Locations: `latitude`/`longitude` are the exact point the contributor gave (or the
place's). Moderators see it; the public never does when the story is about a private
place or a home: pages, map data, the API and search then use `public_latitude`/
`public_longitude`, a point inside the neighbourhood (see locations.py). The public
point is the only one any public output reads.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField, dutch_text_present


class StoryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CONFIRMATION = "awaiting", _("Awaiting confirmation")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0: anyone may reuse it, naming the author")
    CC_BY_SA = (
        "cc-by-sa-4.0",
        _("CC BY-SA 4.0: anyone may reuse it, naming the author and sharing alike"),
    )
    SITE_ONLY = "site-only", _("Only on this site")


LICENCE_URIS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.SITE_ONLY: "",
}
OPEN_LICENCES = (Licence.CC_BY, Licence.CC_BY_SA)


class About(models.TextChoices):
    PLACE = "place", _("A place")
    NEIGHBOURHOOD = "neighbourhood", _("A neighbourhood")
    OBJECT = "object", _("An object in the collection")
    EVENT = "event", _("An event")
    OWN_LIFE = "own-life", _("My own life in the city")


class StoryLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    LIMBURGISH = "li", _("Maastricht dialect")


class Story(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("your story"))
    language = models.CharField(
        _("language of the story"), max_length=5, choices=StoryLanguage.choices, default="nl"
    )
    display_name = models.CharField(
        _("name shown with the story"),
        max_length=120,
        blank=True,
        help_text=_("Your name or a pseudonym. Leave empty to be shown as anonymous."),
    )
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    contributor_email = models.EmailField(_("e-mail address"), blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    people_consent = models.BooleanField(
        _("recognisable people agreed"),
        default=False,
        help_text=_("Everyone who can be recognised in the photos or the recording agreed."),
    )
    is_minor = models.BooleanField(_("I am younger than 16"), default=False)
    guardian_name = models.CharField(_("name of a parent or guardian"), max_length=120, blank=True)
    guardian_email = models.EmailField(_("e-mail address of a parent or guardian"), blank=True)
    guardian_consent_at = models.DateTimeField(null=True, blank=True)

    about = models.CharField(_("what is it about?"), max_length=20, choices=About.choices)
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text=_("The neighbourhood the story is about or takes place in."),
    )
    heritage_object = models.ForeignKey(
        "heritage.HeritageObject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    event = models.ForeignKey(
        "agenda.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )

    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_home_location = models.BooleanField(
        _("this is a home address"),
        default=False,
        help_text=_("The map then shows the neighbourhood only, never the address."),
    )
    public_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    public_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location_generalised = models.BooleanField(default=False)

    state = models.CharField(
        max_length=12, choices=StoryState.choices, default=StoryState.DRAFT, db_index=True
    )
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["state", "-published_at"], name="stories_state_published"),
            models.Index(
                fields=["neighbourhood", "state", "-published_at"],
                name="stories_buurt_published",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=StoryState.values), name="stories_story_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(licence__in=Licence.values), name="stories_story_licence_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_minor=False)
                | (~Q(guardian_name="") & ~Q(guardian_email=""))
                | Q(anonymised=True),
                name="stories_story_minor_has_guardian",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="stories_story_point_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state=StoryState.REJECTED) | ~Q(rejection_reason=""),
                name="stories_story_rejection_has_reason",
            ),
            # Nothing is published without every consent.
            models.CheckConstraint(
                condition=~Q(state=StoryState.PUBLISHED)
                | (
                    Q(people_consent=True)
                    & Q(published_at__isnull=False)
                    & (Q(is_minor=False) | Q(guardian_consent_at__isnull=False))
                    & (
                        Q(contributor__isnull=False)
                        | Q(email_confirmed_at__isnull=False)
                        | Q(anonymised=True)
                    )
                ),
                name="stories_story_published_with_consent",
            ),
            # A generalised location never keeps a public point other than the buurt's.
            models.CheckConstraint(
                condition=Q(location_generalised=False)
                | Q(public_latitude__isnull=True)
                | ~Q(public_latitude=models.F("latitude"))
                | Q(latitude__isnull=True),
                name="stories_story_generalised_point_differs",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The story's public page (it answers once the story is published)."""
        from django.urls import reverse

        return reverse("stories:story", kwargs={"uuid": self.uuid})

    @property
    def licence_uri(self) -> str:
        return LICENCE_URIS[Licence(self.licence)]

    @property
    def is_published(self) -> bool:
        return self.state == StoryState.PUBLISHED

    @property
    def author_name(self) -> str:
        return self.display_name


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    AUDIO = "audio", _("Audio recording")


def _media_path(instance: StoryMedia, filename: str) -> str:
    # Random names: a stored file is never found by guessing, and the contributor's
    # own file name (often a date, a place or a name) is not kept.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"stories/{uuid.uuid4().hex}.{extension}"


class StoryMedia(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    file = models.FileField(upload_to=_media_path, max_length=200)
    content_type = models.CharField(max_length=60)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_(
            "What is in the photo or the recording (for people who cannot see or hear it)."
        ),
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MediaKind.values), name="stories_media_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.story_id}"


class ReportReason(models.TextChoices):
    PRIVACY = "privacy", _("It shows private information about someone")
    OFFENSIVE = "offensive", _("It is offensive or hurtful")
    RIGHTS = "rights", _("It uses my photo or text without permission")
    INCORRECT = "incorrect", _("It is not correct")
    OTHER = "other", _("Something else")


class StoryReport(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("explanation"), blank=True, max_length=2000)
    reporter_email = models.EmailField(_("your e-mail address (optional)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="stories_report_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.story_id}"


class ThemedCollection(models.Model):
    """A set of stories curated by staff, e.g. "Sphinx, a place of memory"."""

    slug = models.SlugField(max_length=120, unique=True)
    title = TranslatedField(_("title"), max_length=200)
    introduction = TranslatedField(_("introduction"), blank=True, multiline=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    stories = models.ManyToManyField(Story, through="CollectionStory", related_name="collections")

    class Meta:
        ordering = ["slug"]
        constraints = [dutch_text_present("title")]

    def __str__(self) -> str:
        return str(self.title)


class CollectionStory(models.Model):
    collection = models.ForeignKey(
        ThemedCollection, on_delete=models.CASCADE, related_name="entries"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="collection_entries")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "story"], name="stories_collectionstory_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.story_id}"
