"""Writing the audit log (services call this inside their transaction).

An entry says who (`actor`) did what (`action`) to which record (`target_type`,
`target_id`), when (`at`). `data` holds structured facts only (ids, states, counts,
field names, amounts), never a person's name, address or words: whatever a person
wrote goes in `message`, the one field an erasure empties (`audit_forget_texts`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from reisgezel.core.models import AuditEntry

ERASED_TEXT = "[removed: an account was erased]"
"""What is left of a text an erasure removed from the logs (stored, not translated)."""


def acting_user(actor: Any) -> Any | None:
    """The account to record as having acted: the actor itself when it is a signed-in
    user, the person it stands for when it acts on someone's behalf (an API token's actor
    names its maker in `recorded_user`), None for anonymous or system actions."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return getattr(actor, "recorded_user", actor)


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry; an actor that stands for someone adds its own `audit_data` (the API
    token's id), so the log tells which program acted in that person's name."""
    return AuditEntry.objects.create(
        actor=acting_user(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        message=message,
        data={**getattr(actor, "audit_data", {}), **(data or {})},
    )


def audit_forget_texts(
    *, account: models.Model, records: Iterable[models.Model] = (), names: Iterable[str] = ()
) -> None:
    """For the erasure of `account` (AVG/GDPR art. 17): the logs keep what happened, not
    who the person was. Entries the account made and entries about the account or
    `records` (what the erasure deleted or anonymised of the person: their stories,
    ideas, children's profiles ...) keep their action, target, time, structured data
    and actor (the emptied account, named "erased-<id>"), but their free text is
    replaced by ERASED_TEXT: a moderator's reason or the person's own may name them.
    Django's admin log names its objects as they were (an account by the person's
    name): those names go the same way. `names` are the names the admin log gave the
    person's rows that were inlines of other objects (a membership, "marij @ Koor Wyck
    (admin)", in an organisation's entries): entries about anything that list one of
    them as an inline object lose that name, and keep the rest. Call inside the
    erasure's transaction."""
    targets = [account, *records]
    by_model: dict[type[models.Model], list[str]] = defaultdict(list)
    for record in targets:
        by_model[record._meta.model].append(str(record.pk))
    about = Q(pk__in=[])
    logged = Q(pk__in=[])
    for model, ids in by_model.items():
        about |= Q(target_type=model._meta.label_lower, target_id__in=ids)
        logged |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    AuditEntry.objects.filter(Q(actor=account) | about).exclude(message="").update(
        message=ERASED_TEXT
    )
    for entry in LogEntry.objects.filter(logged).only("change_message"):
        entry.object_repr = ERASED_TEXT
        entry.change_message = _without_object_names(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])
    _forget_inline_names(set(names) - {""})


def _forget_inline_names(names: set[str]) -> None:
    """Entries of Django's admin log about other objects that name one of `names` as an
    inline object added, changed or deleted: that name goes, the rest stays."""
    if not names:
        return
    mentions = Q(pk__in=[])
    for name in names:
        # As json.dumps writes it into the change message (the admin's own encoding).
        mentions |= Q(change_message__contains=json.dumps(name)[1:-1])
    for entry in LogEntry.objects.filter(mentions).only("change_message"):
        forgotten = _without_object_names(entry.change_message, only=names)
        if forgotten != entry.change_message:
            entry.change_message = forgotten
            entry.save(update_fields=["change_message"])


def _without_object_names(change_message: str, only: set[str] | None = None) -> str:
    """The admin's change message without the names of inline objects it added, changed
    or deleted ({"added": {"name": "participant", "object": "Lotte Smeets"}}), or only
    of those named one of `only`; which fields changed stays."""
    try:
        changes = json.loads(change_message)
    except ValueError:  # an old free-text message
        if only is not None:
            return change_message
        return ERASED_TEXT if change_message else ""
    if not isinstance(changes, list):
        return ERASED_TEXT if only is None else change_message
    for change in changes:
        for detail in change.values() if isinstance(change, dict) else ():
            named = isinstance(detail, dict) and "object" in detail
            if named and (only is None or detail["object"] in only):
                detail["object"] = ERASED_TEXT
    return json.dumps(changes)
