"""The learning API (django-ninja): the course catalogue and editions, read-only for all."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["learning"])
