"""Background tasks of stories (ids in, never objects): e-mails and file deletion."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def enqueue_after_commit(the_task: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: the_task.enqueue(**kwargs))


def _link(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs={"token": token})


def _language(story: Any) -> str:
    user = story.contributor
    if user is not None:
        return str(user.preferred_language)
    return story.language if story.language in ("nl", "en", "de", "fr") else "nl"


def _contributor_address(story: Any) -> str:
    """Where the contributor's mails go: an account's current address (it may have
    changed since the story was sent), else the address the story was sent with."""
    user = story.contributor
    if user is not None:
        return str(user.email) if user.is_active else ""
    return str(story.contributor_email)


@task()
def send_story_email(*, story_id: int, kind: str) -> int:
    """kind: "confirm" (the contributor confirms the address), "guardian" (a parent
    agrees), "decision" (approved or rejected, with the reason)."""
    from reisgezel.stories.models import Story, StoryState
    from reisgezel.stories.services import story_token

    story = Story.objects.select_related("contributor").filter(pk=story_id).first()
    if story is None or story.state == StoryState.WITHDRAWN:
        return 0
    language = _language(story)
    manage = _link("stories:withdraw_link", story_token(story, "manage"), language)
    with translation.override(language):
        if kind == "confirm":
            recipient = _contributor_address(story)
            subject = _("Confirm your story “%(title)s”") % {"title": story.title}
            body = _(
                "Thank you for your story “%(title)s”.\n\n"
                "Confirm your e-mail address with this link, so that our editors can read it:\n"
                "%(link)s\n\n"
                "Do you want to withdraw your story later? "
                "Use this link, at any time:\n%(manage)s\n"
            ) % {
                "title": story.title,
                "link": _link("stories:confirm", story_token(story, "confirm"), language),
                "manage": manage,
            }
        elif kind == "guardian":
            recipient = story.guardian_email
            subject = _("Your child wants to share a story on Reisgezel")
            body = _(
                "Dear %(name)s,\n\n"
                "Someone younger than 16 sent us the story “%(title)s” and gave your name as "
                "parent or guardian. We publish it only if you agree.\n\n"
                "Read the story and give your consent here:\n%(link)s\n\n"
                "If you do not agree, you do not have to do anything. The story can be "
                "withdrawn at any time with this link:\n%(manage)s\n"
            ) % {
                "name": story.guardian_name,
                "title": story.title,
                "link": _link("stories:guardian", story_token(story, "guardian"), language),
                "manage": manage,
            }
        elif kind == "decision" and story.state == StoryState.PUBLISHED:
            recipient = _contributor_address(story)
            subject = _("Your story “%(title)s” is published") % {"title": story.title}
            body = _(
                "Your story “%(title)s” is now on Reisgezel. Thank you for sharing it!\n\n"
                "You can withdraw it at any time with this link:\n%(manage)s\n"
            ) % {"title": story.title, "manage": manage}
        elif kind == "decision" and story.state == StoryState.REJECTED:
            recipient = _contributor_address(story)
            subject = _("Your story “%(title)s” was not published") % {"title": story.title}
            body = _(
                "Thank you for your story “%(title)s”. Our editors did not publish it.\n\n"
                "Their reason:\n%(reason)s\n\n"
                "If you have an account, you can change the story and send it again.\n"
            ) % {"title": story.title, "reason": story.rejection_reason}
        else:
            return 0
    if not recipient:
        return 0
    return send_mail(subject, body, None, [recipient])


@task()
def notify_moderators_of_report(*, report_id: int) -> int:
    from reisgezel.stories.models import StoryReport

    report = StoryReport.objects.select_related("story").filter(pk=report_id).first()
    if report is None:
        return 0
    # Everyone who may moderate (stories.permissions.can_moderate): moderators and staff.
    moderators = (
        get_user_model()
        .objects.filter(Q(is_moderator=True) | Q(is_staff=True), is_active=True)
        .exclude(email="")
    )
    recipients = list(moderators.values_list("email", flat=True))
    if not recipients:
        return 0
    with translation.override("nl"):
        subject = _("A reader reported the story “%(title)s”") % {"title": report.story.title}
        body = _("Reason: %(reason)s\n\n%(details)s\n\nSee the moderation queue: %(link)s\n") % {
            "reason": report.get_reason_display(),
            "details": report.details,
            "link": settings.SITE_URL + reverse("stories:moderation"),
        }
    return send_mail(subject, body, None, recipients)


@task()
def delete_files(*, names: list[str]) -> int:
    """Delete stored media files of withdrawn or erased stories."""
    deleted = 0
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return deleted
