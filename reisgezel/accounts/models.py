"""Users, roles and partner organisations.

Roles: every user is a resident; a user with a Membership is a partner organisation
member; `is_moderator` users validate submitted events; `is_staff` users work in the
Django admin. Partners never get admin access: they use their own pages.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField
from reisgezel.core.models import Term, TimeStampedModel
from reisgezel.places.models import Neighbourhood, Place


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=5, default="nl")
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("May approve or reject submitted events.")
    )
    # An inactive account is one of two things: a sign-up whose address is not confirmed
    # yet (its link activates it), or an account staff switched off (nothing but staff
    # switches it on again). `is_active` alone cannot tell them apart.
    awaiting_confirmation = models.BooleanField(
        _("awaiting confirmation"),
        default=False,
        help_text=_(
            "Signed up, but the link in the confirmation e-mail has not been followed yet. "
            "Only such an account is activated by that link."
        ),
    )
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("The person deleted the account; it stays empty and inactive."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_language__in=["nl", "en", "de", "fr"]),
                name="accounts_user_language_supported",
            ),
            # One account per address: sign-up, password reset and the mails rely on it.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_email_unique",
                violation_error_message=_("Another account has this e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(awaiting_confirmation=False) | Q(is_active=False),
                name="accounts_user_awaiting_confirmation_inactive",
            ),
            # An erased account never comes back: not by a sign-up, a link or the admin.
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True)
                | Q(awaiting_confirmation=False, email="", is_active=False),
                name="accounts_user_erased_stays_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name_to_greet(self) -> str:
        """The name our mails greet a person by: the one they chose on "Your account"
        (the name others see), else their full or first name, else the login name."""
        return self.display_name or self.get_full_name() or self.first_name or self.username

    @property
    def can_moderate(self) -> bool:
        return self.is_active and (self.is_moderator or self.is_staff)


class OrganisationKind(models.TextChoices):
    HOUSE = "house", _("One of the three houses")
    VENUE = "venue", _("Venue")
    ASSOCIATION = "association", _("Association or amateur group")
    INSTITUTION = "institution", _("Cultural institution")
    COMPANY = "company", _("Company or collective")
    EDUCATION = "education", _("School or education")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(TimeStampedModel):
    """A partner: a house, a venue, an association, a company. Organises events."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    disciplines = models.ManyToManyField(
        Term, blank=True, related_name="organisations", limit_choices_to={"kind": "discipline"}
    )
    home_place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="home_organisations"
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_(
            "Trusted partners publish without validation and may set accessibility facilities."
        ),
    )
    is_active = models.BooleanField(default=True)
    feed_url = models.URLField(
        _("iCalendar feed"), blank=True, help_text=_("Imported on a schedule.")
    )
    # --- The public profile (docs/partner-profiles.md): for whom, where, how to join. ---
    audience = TranslatedField(
        _("for whom"),
        blank=True,
        max_length=300,
        help_text=_("Who the activities are for, e.g. “children and their parents”."),
    )
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    active_in = models.ManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="active_organisations",
        verbose_name=_("active in"),
        help_text=_("The neighbourhoods where the organisation is active."),
    )
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    open_for_members = models.BooleanField(_("open for new members"), default=False)
    members_note = TranslatedField(
        _("about new members"),
        blank=True,
        max_length=500,
        help_text=_("E.g. “We rehearse on Tuesdays, new tenors welcome.”"),
    )
    wants_volunteers = models.BooleanField(_("looking for volunteers"), default=False)
    volunteers_note = TranslatedField(
        _("about volunteering"),
        blank=True,
        max_length=500,
        help_text=_("E.g. “We need help at the door during our concerts.”"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="accounts_organisation_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_max__lte=120),
                name="accounts_organisation_age_max_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for an organisation's API writes. Only a hash is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "rg_" + secrets.token_urlsafe(32)
