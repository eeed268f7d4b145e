"""The rules of stories: consent, minors, moderation, reports, withdrawal, edits and the
contributor's data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reisgezel.core.models import AuditEntry
from reisgezel.stories.models import Licence, Story, StoryReport, StoryState
from reisgezel.stories.selectors import moderation_queue, published_stories
from reisgezel.stories.services import (
    contributor_erase,
    contributor_export,
    report_resolve,
    story_approve,
    story_confirm_email,
    story_edit,
    story_guardian_consent,
    story_reject,
    story_report,
    story_token,
    story_withdraw,
)
from reisgezel.stories.tests.conftest import published, story_input, submit
from tests.factories import make_user, moderator

pytestmark = pytest.mark.django_db


def _token_in(body: str, kind: str) -> str:
    match = re.search(rf"/{kind}/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def test_without_account_the_story_waits_for_the_email_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        story = submit()
    assert story.state == StoryState.AWAITING_CONFIRMATION
    assert list(moderation_queue()) == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jo@example.org"]
    token = _token_in(str(mail.outbox[0].body), "confirm")
    story = story_confirm_email(token=token)
    assert story.state == StoryState.PENDING
    assert list(moderation_queue()) == [story]


def test_with_an_account_the_story_goes_straight_to_moderation() -> None:
    story = submit(actor=make_user())
    assert story.state == StoryState.PENDING


def test_a_forged_or_wrong_purpose_token_is_refused() -> None:
    story = submit()
    with pytest.raises(ValidationError):
        story_confirm_email(token="nonsense")
    with pytest.raises(ValidationError):
        story_confirm_email(token=story_token(story, "guardian"))


def test_consent_of_recognisable_people_is_required() -> None:
    with pytest.raises(ValidationError) as exc:
        submit(people_consent=False)
    assert "people_consent" in exc.value.message_dict


def test_licence_from_the_short_list_only() -> None:
    with pytest.raises(ValidationError) as exc:
        submit(licence="all-rights-reserved")
    assert "licence" in exc.value.message_dict
    story = submit(licence=Licence.SITE_ONLY)
    assert story.licence_uri == ""
    assert submit(licence=Licence.CC_BY_SA).licence_uri.endswith("/by-sa/4.0/")


def test_a_minor_needs_a_guardian(django_capture_on_commit_callbacks: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(is_minor=True)
    assert "guardian_email" in exc.value.message_dict
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        story = submit(
            actor=user, is_minor=True, guardian_name="Ans", guardian_email="ans@example.org"
        )
    # Account: no address to confirm, but the guardian must agree before moderation.
    assert story.state == StoryState.AWAITING_CONFIRMATION
    assert [m.to for m in mail.outbox] == [["ans@example.org"]]
    with pytest.raises(ValidationError):
        story_approve(actor=moderator(), story=story)
    story = story_guardian_consent(token=_token_in(str(mail.outbox[0].body), "consent"))
    assert story.state == StoryState.PENDING and story.guardian_consent_at is not None
    assert story_approve(actor=moderator(), story=story).state == StoryState.PUBLISHED


def test_the_database_refuses_publishing_a_minors_story_without_guardian_consent() -> None:
    story = submit(
        actor=make_user(), is_minor=True, guardian_name="Ans", guardian_email="a@example.org"
    )
    story.state = StoryState.PUBLISHED
    story.published_at = story.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        story.save()


def test_the_database_refuses_a_published_story_without_people_consent() -> None:
    story = submit(actor=make_user())
    Story.objects.filter(pk=story.pk).update(people_consent=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(
            state=StoryState.PUBLISHED, published_at=story.created_at
        )


def test_only_moderators_decide() -> None:
    story = submit(actor=make_user())
    with pytest.raises(PermissionDenied):
        story_approve(actor=make_user(), story=story)
    with pytest.raises(PermissionDenied):
        story_reject(actor=AnonymousUser(), story=story, reason="no")


def test_rejection_needs_a_reason_that_is_mailed_and_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    story = submit(actor=make_user(email="teller@example.org"))
    judge = moderator()
    with pytest.raises(ValidationError):
        story_reject(actor=judge, story=story, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        story = story_reject(actor=judge, story=story, reason="Er staat een volledig adres in.")
    assert story.state == StoryState.REJECTED
    assert mail.outbox[-1].to == ["teller@example.org"]
    assert "Er staat een volledig adres in." in mail.outbox[-1].body
    entry = AuditEntry.objects.get(action="story.reject")
    assert entry.actor == judge and entry.target_id == str(story.pk)


def test_approval_is_audited_and_mailed(django_capture_on_commit_callbacks: Any) -> None:
    story = published(django_capture_on_commit_callbacks, author=make_user(email="a@example.org"))
    assert story in published_stories()
    assert AuditEntry.objects.filter(action="story.approve", target_id=str(story.pk)).exists()
    assert mail.outbox[-1].to == ["a@example.org"]
    assert "/withdraw/" in mail.outbox[-1].body


def test_readers_report_and_moderators_see_reports(django_capture_on_commit_callbacks: Any) -> None:
    story = published(django_capture_on_commit_callbacks)
    make_user(is_moderator=True, email="mod@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        report = story_report(
            actor=AnonymousUser(), story=story, reason="privacy", details="Mijn huis"
        )
    assert StoryReport.objects.filter(story=story, resolved_at__isnull=True).count() == 1
    assert "mod@example.org" in mail.outbox[-1].to
    assert report.reason == "privacy"
    with pytest.raises(ValidationError):
        story_report(actor=AnonymousUser(), story=story, reason="because")
    # The audit note takes text the database stores: a NUL (a 500 on PostgreSQL) goes.
    report_resolve(actor=moderator(), report=report, note="gezien\x00 en opgelost")
    entry = AuditEntry.objects.get(action="story.report_resolve")
    assert entry.message == "gezien en opgelost"


def test_withdrawal_by_the_contributor_or_the_emailed_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = make_user()
    story = published(django_capture_on_commit_callbacks, author=author)
    with pytest.raises(PermissionDenied):
        story_withdraw(actor=make_user(), story=story)
    story_withdraw(actor=author, story=story)
    assert story not in published_stories()
    other = published(django_capture_on_commit_callbacks)
    link_token = story_token(other, "manage")
    with pytest.raises(PermissionDenied):
        story_withdraw(actor=AnonymousUser(), story=story, token=link_token)
    story_withdraw(actor=AnonymousUser(), story=other, token=link_token)
    other.refresh_from_db()
    assert other.state == StoryState.WITHDRAWN and other.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="story.withdraw").count() == 2


def test_an_edit_sends_a_published_story_back_to_moderation_hidden(
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = make_user()
    story = published(django_capture_on_commit_callbacks, author=author)
    with pytest.raises(PermissionDenied):
        story_edit(actor=make_user(), story=story, data=story_input(title="Anders"))
    story = story_edit(actor=author, story=story, data=story_input(title="Mijn opa in Wyck"))
    assert story.state == StoryState.PENDING
    assert story not in published_stories()
    story = story_approve(actor=moderator(), story=story)
    assert list(published_stories()) == [story] and story.title == "Mijn opa in Wyck"


def test_export_holds_the_contributors_stories() -> None:
    author = make_user()
    submit(actor=author, title="Eerste verhaal")
    submit(actor=make_user(), title="Van iemand anders")
    data = contributor_export(actor=author)
    assert [s["title"] for s in data["stories"]] == ["Eerste verhaal"]
    assert data["account"]["email"] == author.email


def test_erasure_keeps_open_licence_stories_anonymously_and_removes_the_rest(
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = make_user(username="jo", email="jo@example.org")
    keep = published(django_capture_on_commit_callbacks, author=author, display_name="Jo Jansen")
    site_only = published(
        django_capture_on_commit_callbacks, author=author, licence=Licence.SITE_ONLY
    )
    not_wanted = published(django_capture_on_commit_callbacks, author=author)
    pending = submit(actor=author)
    with django_capture_on_commit_callbacks(execute=True):
        result = contributor_erase(actor=author, keep={keep.pk, site_only.pk})
    assert result == {"kept": 1, "deleted": 3}
    assert not Story.objects.filter(pk__in=[site_only.pk, not_wanted.pk, pending.pk]).exists()
    keep.refresh_from_db()
    assert keep.anonymised and keep.contributor is None
    assert keep.contributor_email == "" and keep.display_name == ""
    assert keep in published_stories()
    assert not Story.objects.filter(contributor=author).exists()


def test_confirmation_links_expire_but_the_withdraw_link_does_not() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    from reisgezel.stories.services import CONFIRM_MAX_AGE

    story = submit()
    later = timezone.now() + timedelta(seconds=CONFIRM_MAX_AGE + 60)
    confirm_token = story_token(story, "confirm")
    manage_token = story_token(story, "manage")
    with freeze_time(later):
        with pytest.raises(ValidationError, match="expired"):
            story_confirm_email(token=confirm_token)
        story_withdraw(actor=AnonymousUser(), story=story, token=manage_token)
    story.refresh_from_db()
    assert story.state == StoryState.WITHDRAWN


def test_a_draft_is_kept_until_the_contributor_sends_it() -> None:
    from reisgezel.stories.services import story_submit, story_submit_draft

    author = make_user()
    with pytest.raises(PermissionDenied):
        story_submit(actor=AnonymousUser(), data=story_input(), draft=True)
    story = story_submit(actor=author, data=story_input(), draft=True)
    assert story.state == StoryState.DRAFT and list(moderation_queue()) == []
    with pytest.raises(PermissionDenied):
        story_submit_draft(actor=make_user(), story=story)
    story = story_submit_draft(actor=author, story=story)
    assert story.state == StoryState.PENDING and list(moderation_queue()) == [story]
