"""Writing the audit log (services call this inside their transaction)."""

from __future__ import annotations

from typing import Any

from django.db import models

from reisgezel.core.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        message=message,
        data=data or {},
    )
