"""The public profile of an organisation: what it does, for whom, where, how to join.

Members of the organisation (and staff) edit it on their partner page; the rules are
here so that the partner page, the admin and the demo loader share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation
from reisgezel.accounts.search import DOC_TYPE as ORGANISATION_DOC_TYPE
from reisgezel.accounts.selectors import is_member
from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, LanguageMap, language_map
from reisgezel.core.models import Term
from reisgezel.places.models import Neighbourhood
from reisgezel.search.registry import index_later

MAX_AGE = 120
TRANSLATED = ("description", "audience", "members_note", "volunteers_note")


@dataclass
class ProfileInput:
    description: LanguageMap = field(default_factory=LanguageMap)
    audience: LanguageMap = field(default_factory=LanguageMap)
    age_min: int | None = None
    age_max: int | None = None
    active_in: Sequence[Neighbourhood] = ()
    disciplines: Sequence[Term] = ()
    contact_person: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    open_for_members: bool = False
    members_note: LanguageMap = field(default_factory=LanguageMap)
    wants_volunteers: bool = False
    volunteers_note: LanguageMap = field(default_factory=LanguageMap)


def profile_errors(data: ProfileInput) -> dict[str, list[str]]:
    """What is wrong with a profile, per field (empty when it is fine)."""
    errors: dict[str, list[str]] = {}
    for name in ("age_min", "age_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name] = [_("Give an age between 0 and %(max)d.") % {"max": MAX_AGE}]
    if (
        data.age_min is not None
        and data.age_max is not None
        and data.age_min > data.age_max
        and not errors
    ):
        errors["age_max"] = [_("The highest age must not be lower than the lowest age.")]
    for name in TRANSLATED:
        texts = language_map(getattr(data, name))
        # Dutch is the source language: a text in another language only, shows nobody
        # the Dutch fallback the site promises.
        if any(texts.values()) and not texts.get(SOURCE_LANGUAGE):
            errors[name] = [_("The Dutch text is required when you give another language.")]
    return errors


@transaction.atomic
def organisation_profile_update(
    *, actor: Any, organisation: Organisation, data: ProfileInput
) -> Organisation:
    """Save the profile; members of the organisation and staff only. Reindexes it."""
    if not is_member(user=actor, organisation=organisation):
        raise PermissionDenied(
            _("You cannot change the profile of %(org)s.") % {"org": organisation.name}
        )
    errors = profile_errors(data)
    if errors:
        raise ValidationError(errors)
    for name in TRANSLATED:
        setattr(organisation, name, language_map(getattr(data, name)))
    for name in (
        "age_min",
        "age_max",
        "contact_person",
        "website",
        "email",
        "phone",
        "open_for_members",
        "wants_volunteers",
    ):
        setattr(organisation, name, getattr(data, name))
    organisation.full_clean(exclude=["slug", "name"])
    organisation.save()
    organisation.active_in.set(data.active_in)
    organisation.disciplines.set(data.disciplines)
    audit_record(actor=actor, action="organisation.profile", target=organisation)
    index_later(ORGANISATION_DOC_TYPE, [organisation.pk])
    return organisation
