"""Initiatives ("I have an idea"): a resident's or group's plan, followed by house staff.

An initiative moves through simple states (see `TRANSITIONS` in services.py); every move
is kept as an `InitiativeStateChange` the initiator sees. `InitiativeNote`s are for staff
only and never reach the initiator's pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.models import TimeStampedModel
from reisgezel.places.models import Neighbourhood


class InitiativeState(models.TextChoices):
    NEW = "new", _("New")
    IN_CONVERSATION = "in_conversation", _("In conversation")
    SUPPORTED = "supported", _("Supported")
    REALISED = "realised", _("Realised")
    DECLINED = "declined", _("Declined")


class HelpKind(models.TextChoices):
    """What an initiator may ask for; one boolean field per kind on `Initiative`."""

    PLACE = "place", _("A place")
    MONEY = "money", _("Money")
    CONTACTS = "contacts", _("Contacts")
    PUBLICITY = "publicity", _("Publicity")
    ADVICE = "advice", _("Advice")


class Initiative(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    needs_place = models.BooleanField(_("needs a place"), default=False)
    needs_money = models.BooleanField(_("needs money"), default=False)
    needs_contacts = models.BooleanField(_("needs contacts"), default=False)
    needs_publicity = models.BooleanField(_("needs publicity"), default=False)
    needs_advice = models.BooleanField(_("needs advice"), default=False)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        verbose_name=_("neighbourhood"),
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiatives",
        verbose_name=_("initiator"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_initiatives",
        verbose_name=_("coach"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=InitiativeState.choices,
        default=InitiativeState.NEW,
        db_index=True,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=InitiativeState.values),
                name="initiatives_initiative_state_known",
            ),
            # The initiator is always told why: a declined idea carries its reason.
            models.CheckConstraint(
                condition=~Q(state=InitiativeState.DECLINED) | ~Q(decline_reason=""),
                name="initiatives_initiative_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="initiatives_initiative_title_present"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def help_needed(self) -> list[str]:
        return [kind for kind in HelpKind.values if getattr(self, f"needs_{kind}")]

    def help_labels(self) -> list[str]:
        return [str(HelpKind(kind).label) for kind in self.help_needed]


class InitiativeStateChange(models.Model):
    """One move of an initiative, shown to its initiator (with the reason, if any)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(max_length=20, choices=InitiativeState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=InitiativeState.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_state or '-'} -> {self.to_state}"


class InitiativeNote(models.Model):
    """A note of house staff on an initiative. Never shown to the initiator."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="initiatives_note_text_present")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.text[:40]}"
