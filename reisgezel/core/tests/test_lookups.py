"""IdIn and TextIn select what `__in` selects, with the list as one parameter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from reisgezel.core.lookups import IdIn, TextIn
from reisgezel.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries() -> list[AuditEntry]:
    return [
        AuditEntry.objects.create(action="test", target_type="t", target_id=text)
        for text in ("a", "b", 'it\'s "quoted"', "é")
    ]


def test_the_same_rows_as_in() -> None:
    entries = _entries()
    ids = [entries[0].pk, entries[2].pk, 10**12]
    by_id = AuditEntry.objects.filter(IdIn(F("pk"), ids))
    assert set(by_id) == set(AuditEntry.objects.filter(pk__in=ids))
    texts = ["a", 'it\'s "quoted"', "é", "nothing"]
    by_text = AuditEntry.objects.filter(TextIn(F("target_id"), texts))
    assert sorted(e.target_id for e in by_text) == sorted(texts[:3])


def test_an_empty_list_selects_nothing() -> None:
    _entries()
    assert not AuditEntry.objects.filter(IdIn(F("pk"), []))
    assert not AuditEntry.objects.filter(TextIn(F("target_id"), []))


def test_the_list_is_one_parameter() -> None:
    entries = _entries()
    with CaptureQueriesContext(connection) as captured:
        list(AuditEntry.objects.filter(IdIn(F("pk"), [e.pk for e in entries])))
    sql = captured.captured_queries[0]["sql"]
    one_parameter = (
        "= ANY(" if connection.vendor == "postgresql" else "IN (SELECT value FROM json_each("
    )
    assert one_parameter in sql
