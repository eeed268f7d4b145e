"""Staff find terms and audit entries by exact values and filters (no substring search)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from reisgezel.core.audit import audit_record
from reisgezel.core.models import AuditEntry, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = get_user_model().objects.create_user(
        username="staff", password="x", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    return client


def _listed(client: Client, model: str, **params: str) -> set[int]:
    response = client.get(reverse(f"admin:core_{model}_changelist"), params)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_terms_by_exact_code(staff: Client) -> None:
    music = Term.objects.get(kind="discipline", code="music")
    assert _listed(staff, "term", q="MUSIC") == {music.pk}
    assert _listed(staff, "term", q="usi") == set()


def test_audit_entries_by_exact_target_or_actor(staff: Client) -> None:
    music = Term.objects.get(kind="discipline", code="music")
    dance = Term.objects.get(kind="discipline", code="dance")
    editor = get_user_model().objects.create_user(username="redactie", password="x")
    about_music = audit_record(actor=editor, action="term.update", target=music)
    about_dance = audit_record(actor=None, action="term.update", target=dance)

    assert _listed(staff, "auditentry", q=str(music.pk)) == {about_music.pk}
    assert _listed(staff, "auditentry", q="REDACTIE") == {about_music.pk}
    assert _listed(staff, "auditentry", q="redac") == set()
    assert _listed(staff, "auditentry", q="term.update") == set()  # that is a filter
    assert _listed(staff, "auditentry", action="term.update") == {about_music.pk, about_dance.pk}
    assert _listed(staff, "auditentry", actor__id__exact=str(editor.pk)) == {about_music.pk}
    assert AuditEntry.objects.count() == 2
