"""The rules of stories: submission, consent, moderation, reports, withdrawal, edits,
and the contributor's own data (export and erasure).

States: draft -> awaiting confirmation (e-mail address and/or guardian) -> pending
(moderation) -> published | rejected; withdrawn from any state, by the contributor.
An edit by the contributor puts the story back into moderation and hides it until a
moderator approves it again (the simplest guarantee that nobody sees an unreviewed
text; documented in docs/stories.md).

Side effects (e-mails, the search index, deleting files) happen after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.core.rate_limits import ip_bucket, limit_exceeded
from reisgezel.search.registry import index_later, remove_later
from reisgezel.stories import tasks
from reisgezel.stories.locations import locate, relocate_stories_of
from reisgezel.stories.media import MAX_PHOTOS, CleanMedia, clean_audio, clean_photo
from reisgezel.stories.models import (
    OPEN_LICENCES,
    About,
    Licence,
    MediaKind,
    ReportReason,
    Story,
    StoryMedia,
    StoryReport,
    StoryState,
)

STORY_DOC_TYPE = "story"

RATE_LIMIT = 5
"""Submissions per hour, per IP address and per e-mail address."""
RATE_WINDOW = 3600
CONFIRM_MAX_AGE = 14 * 24 * 3600
"""Seconds an e-mail or guardian confirmation link stays valid."""


class RateLimitedError(Exception):
    """Too many submissions: the view answers 429 with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class StoryInput:
    title: str
    text: str
    about: str
    licence: str
    language: str = "nl"
    display_name: str = ""
    email: str = ""
    people_consent: bool = False
    is_minor: bool = False
    guardian_name: str = ""
    guardian_email: str = ""
    place_id: int | None = None
    neighbourhood_id: int | None = None
    heritage_object_id: int | None = None
    event_id: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_home_location: bool = False


@dataclass
class Uploads:
    photos: list[tuple[bytes, str]] = field(default_factory=list)
    """(bytes, description) per photo."""
    audio: tuple[bytes, str] | None = None


# --- Signed links ------------------------------------------------------------------------


def stories_follow_place(place: Any) -> None:
    """A place changed (places.services.place_update): the public points of its stories
    follow, and the changed ones are indexed again (the map and search read them)."""
    changed = relocate_stories_of(place)
    if changed:
        index_later(STORY_DOC_TYPE, changed)


def story_token(story: Story, purpose: str) -> str:
    """A signed token for a link in an e-mail: confirm, guardian or manage."""
    data = {"s": str(story.uuid), "p": purpose}
    if purpose == "guardian":
        data["v"] = _guardian_version(story)
    return signing.dumps(data, salt=f"stories.{purpose}")


def _guardian_version(story: Story) -> str:
    """What a guardian's link consents to: this guardian, this version of the story.
    Every sending (a submission, an edit) sets submitted_at anew, so the link a guardian
    got for an earlier version, or the link of a guardian the story no longer names,
    gives no consent to (nor shows) the version sent now."""
    sent = story.submitted_at.isoformat() if story.submitted_at else ""
    version = f"{story.guardian_email.lower()}|{sent}"
    return salted_hmac("stories.guardian.version", version, algorithm="sha256").hexdigest()[:24]


def _story_from_token(token: str, purpose: str, max_age: int | None) -> Story:
    try:
        data = signing.loads(token, salt=f"stories.{purpose}", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            {"token": [_("This link has expired. Submit the story again, or ask us for help.")]}
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError({"token": [_("This link is not valid.")]}) from exc
    story = Story.objects.select_for_update().filter(uuid=data.get("s")).first()
    if story is None or data.get("p") != purpose:
        raise ValidationError({"token": [_("This link is not valid.")]})
    if purpose == "guardian" and not constant_time_compare(
        str(data.get("v", "")), _guardian_version(story)
    ):
        raise ValidationError(
            {
                "token": [
                    _(
                        "The story was changed after this link was sent: use the link in "
                        "the newest e-mail about it."
                    )
                ]
            }
        )
    return story


def _max_age(purpose: str) -> int | None:
    # The withdrawal link works at any time; confirmations expire.
    return None if purpose == "manage" else CONFIRM_MAX_AGE


def story_for_token(*, token: str, purpose: str) -> Story:
    """The story a link is for (read only), or ValidationError if the link is not valid."""
    with transaction.atomic():
        return _story_from_token(token, purpose, _max_age(purpose))


def story_media_for_guardian(*, token: str, media_uuid: Any) -> StoryMedia | None:
    """A photo or recording of the story a guardian's consent link is for: the guardian
    agrees to all of it, and the story is not public yet, so its files are served to the
    holder of that link only. None for an invalid or expired link, another story's file
    or a withdrawn story (its files are gone)."""
    try:
        data = signing.loads(token, salt="stories.guardian", max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("p") != "guardian":
        return None
    return (
        StoryMedia.objects.filter(uuid=media_uuid, story__uuid=data.get("s"))
        .exclude(story__state=StoryState.WITHDRAWN)
        .first()
    )


# --- Rate limits --------------------------------------------------------------------------


def rate_limit_check(*, ip: str, email: str, action: str = "submit") -> None:
    """Count one submission (or report: `action`); raise RateLimitedError past
    RATE_LIMIT per hour per IP address or per e-mail address."""
    keys = [f"stories:{action}:ip:{ip_bucket(ip)}"] if ip else []
    if email:
        keys.append(f"stories:{action}:email:{email.strip().lower()}")
    if not limit_exceeded(keys, limit=RATE_LIMIT, window=RATE_WINDOW):
        return
    if action == "report":
        message = _(
            "You have sent %(limit)s reports in the past hour. Please wait an hour before "
            "you send another one."
        )
    else:
        message = _(
            "You have sent %(limit)s stories in the past hour. Thank you! Please wait an "
            "hour before you send another one."
        )
    raise RateLimitedError(message % {"limit": RATE_LIMIT})


# --- Validation ---------------------------------------------------------------------------


def _validate(data: StoryInput, *, has_account: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give your story a title.")]
    if len(data.text.strip()) < 20:
        errors["text"] = [_("Tell a little more: a story has at least 20 characters.")]
    if data.licence not in Licence.values:
        errors["licence"] = [_("Choose how others may use your story.")]
    if data.about not in About.values:
        errors["about"] = [_("Choose what your story is about.")]
    required = {
        About.PLACE: ("place_id", _("Choose the place your story is about.")),
        About.NEIGHBOURHOOD: (
            "neighbourhood_id",
            _("Choose the neighbourhood your story is about."),
        ),
        About.OBJECT: ("heritage_object_id", _("Choose the object your story is about.")),
        About.EVENT: ("event_id", _("Choose the event your story is about.")),
    }
    if data.about in required:
        name, message = required[About(data.about)]
        if getattr(data, name) is None:
            errors[name] = [message]
    if not has_account and not data.email.strip():
        errors["email"] = [
            _(
                "Give your e-mail address: we send you a link to confirm it "
                "before anyone sees your story."
            )
        ]
    if not data.people_consent:
        errors["people_consent"] = [
            _(
                "Confirm that everyone who can be recognised agreed "
                "(or that nobody can be recognised)."
            )
        ]
    if data.is_minor and not (data.guardian_name.strip() and data.guardian_email.strip()):
        errors["guardian_email"] = [
            _("You are younger than 16: give the name and e-mail address of a parent or guardian.")
        ]
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = [_("Give both the latitude and the longitude, or neither.")]
    if errors:
        raise ValidationError(errors)


def _apply(story: Story, data: StoryInput) -> None:
    story.title = data.title.strip()
    story.text = data.text.strip()
    story.about = data.about
    story.licence = data.licence
    story.language = data.language
    story.display_name = data.display_name.strip()
    story.people_consent = data.people_consent
    story.is_minor = data.is_minor
    story.guardian_name = data.guardian_name.strip() if data.is_minor else ""
    story.guardian_email = data.guardian_email.strip() if data.is_minor else ""
    story.place_id = data.place_id
    story.neighbourhood_id = data.neighbourhood_id
    story.heritage_object_id = data.heritage_object_id
    story.event_id = data.event_id
    story.latitude, story.longitude = data.latitude, data.longitude
    story.is_home_location = data.is_home_location
    # Refetch the relations locate() reads (the ids may have changed).
    for name in ("place", "neighbourhood"):
        story._state.fields_cache.pop(name, None)
    locate(story)


def _clean_uploads(uploads: Uploads) -> list[tuple[str, CleanMedia, str]]:
    if len(uploads.photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("Add at most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    cleaned = [(MediaKind.PHOTO.value, clean_photo(data), text) for data, text in uploads.photos]
    if uploads.audio is not None:
        cleaned.append((MediaKind.AUDIO.value, clean_audio(uploads.audio[0]), uploads.audio[1]))
    return cleaned


def _check_room_for(story: Story, uploads: Uploads) -> None:
    """An edit adds to the media a story has: together within the limits of a new one."""
    photos = story.media.filter(kind=MediaKind.PHOTO).count()
    if uploads.photos and photos + len(uploads.photos) > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": [
                    _("This story has %(has)s photos already; a story has at most %(n)s.")
                    % {"has": photos, "n": MAX_PHOTOS}
                ]
            }
        )
    if uploads.audio is not None and story.media.filter(kind=MediaKind.AUDIO).exists():
        raise ValidationError({"audio": [_("This story has a recording already.")]})


def _store_media(story: Story, cleaned: list[tuple[str, CleanMedia, str]]) -> None:
    start = story.media.count()
    for offset, (kind, media, description) in enumerate(cleaned):
        item = StoryMedia(
            story=story,
            kind=kind,
            content_type=media.content_type,
            description=description.strip()[:300],
            width=media.width,
            height=media.height,
            position=start + offset,
        )
        item.file.save(f"upload.{media.extension}", ContentFile(media.data), save=False)
        item.save()


# --- Submission and confirmation ----------------------------------------------------------


def _advance(story: Story) -> None:
    """Move an awaiting story into moderation once every confirmation is in."""
    email_ok = story.contributor_id is not None or story.email_confirmed_at is not None
    guardian_ok = not story.is_minor or story.guardian_consent_at is not None
    if story.state == StoryState.AWAITING_CONFIRMATION and email_ok and guardian_ok:
        story.state = StoryState.PENDING


def _send_confirmations(story: Story) -> None:
    if story.contributor_id is None and story.email_confirmed_at is None:
        tasks.enqueue_after_commit(tasks.send_story_email, story_id=story.pk, kind="confirm")
    if story.is_minor and story.guardian_consent_at is None:
        tasks.enqueue_after_commit(tasks.send_story_email, story_id=story.pk, kind="guardian")


@transaction.atomic
def story_submit(
    *, actor: Any, data: StoryInput, uploads: Uploads | None = None, draft: bool = False
) -> Story:
    """A new story. Without an account, the e-mail address must be confirmed by a link
    before the story enters moderation; under 16, a guardian confirms too."""
    has_account = bool(getattr(actor, "is_authenticated", False))
    if draft and not has_account:
        raise PermissionDenied(_("Log in to keep a draft."))
    _validate(data, has_account=has_account)
    cleaned = _clean_uploads(uploads or Uploads())
    story = Story(contributor=actor if has_account else None)
    story.contributor_email = (actor.email if has_account else data.email).strip()
    _apply(story, data)
    if draft:
        story.state = StoryState.DRAFT
    else:
        story.state = StoryState.AWAITING_CONFIRMATION
        story.submitted_at = timezone.now()
        _advance(story)
    story.save()
    _store_media(story, cleaned)
    audit_record(actor=actor, action="story.submit", target=story, data={"state": story.state})
    if not draft:
        _send_confirmations(story)
    return story


@transaction.atomic
def story_submit_draft(*, actor: Any, story: Story) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    _require_contributor(actor, story)
    if story.state != StoryState.DRAFT:
        raise ValidationError({"state": [_("This story was already sent.")]})
    story.state = StoryState.AWAITING_CONFIRMATION
    story.submitted_at = timezone.now()
    _advance(story)
    story.save()
    _send_confirmations(story)
    return story


@transaction.atomic
def story_confirm_email(*, token: str) -> Story:
    story = _story_from_token(token, "confirm", CONFIRM_MAX_AGE)
    if story.email_confirmed_at is None:
        story.email_confirmed_at = timezone.now()
        _advance(story)
        story.save(update_fields=["email_confirmed_at", "state", "updated_at"])
    return story


@transaction.atomic
def story_guardian_consent(*, token: str) -> Story:
    story = _story_from_token(token, "guardian", CONFIRM_MAX_AGE)
    if story.guardian_consent_at is None:
        story.guardian_consent_at = timezone.now()
        _advance(story)
        story.save(update_fields=["guardian_consent_at", "state", "updated_at"])
        audit_record(actor=None, action="story.guardian_consent", target=story)
    return story


# --- Moderation -----------------------------------------------------------------------------


def _require_moderator(actor: Any) -> None:
    if not getattr(actor, "can_moderate", False):
        raise PermissionDenied(_("Only moderators can do this."))


@transaction.atomic
def story_approve(*, actor: Any, story: Story) -> Story:
    _require_moderator(actor)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.state != StoryState.PENDING:
        raise ValidationError(
            {"state": [_("Only stories waiting for moderation can be approved.")]}
        )
    story.state = StoryState.PUBLISHED
    story.published_at = story.published_at or timezone.now()
    story.rejection_reason = ""
    story.save()
    audit_record(actor=actor, action="story.approve", target=story)
    index_later(STORY_DOC_TYPE, [story.pk])
    tasks.enqueue_after_commit(tasks.send_story_email, story_id=story.pk, kind="decision")
    return story


@transaction.atomic
def story_reject(*, actor: Any, story: Story, reason: str) -> Story:
    _require_moderator(actor)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not reason.strip():
        raise ValidationError(
            {"reason": [_("Tell the contributor why the story is not published.")]}
        )
    if story.state not in (StoryState.PENDING, StoryState.PUBLISHED):
        raise ValidationError(
            {"state": [_("Only stories in moderation or published can be rejected.")]}
        )
    story.state = StoryState.REJECTED
    story.rejection_reason = reason.strip()
    story.save()
    _close_reports(story, by=actor)
    audit_record(actor=actor, action="story.reject", target=story, message=story.rejection_reason)
    remove_later(STORY_DOC_TYPE, [story.pk])
    tasks.enqueue_after_commit(tasks.send_story_email, story_id=story.pk, kind="decision")
    return story


# --- Reports ------------------------------------------------------------------------------


@transaction.atomic
def story_report(
    *, actor: Any, story: Story, reason: str, details: str = "", email: str = ""
) -> StoryReport:
    if story.state != StoryState.PUBLISHED:
        raise ValidationError({"reason": [_("This story is not published.")]})
    if reason not in ReportReason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    report = StoryReport.objects.create(
        story=story, reason=reason, details=details.strip()[:2000], reporter_email=email.strip()
    )
    tasks.enqueue_after_commit(tasks.notify_moderators_of_report, report_id=report.pk)
    return report


def _close_reports(story: Story, *, by: Any) -> None:
    """A story taken offline answers its open reports: they leave the moderators' list."""
    story.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by if getattr(by, "pk", None) else None
    )


@transaction.atomic
def report_resolve(*, actor: Any, report: StoryReport, note: str = "") -> StoryReport:
    _require_moderator(actor)
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save(update_fields=["resolved_at", "resolved_by"])
    # An internal note for the audit log only: a NUL (which PostgreSQL cannot store) goes.
    note = note.replace("\x00", "")
    audit_record(actor=actor, action="story.report_resolve", target=report.story, message=note)
    return report


# --- Contributor: withdraw, edit, export, erase --------------------------------------------


def _require_contributor(actor: Any, story: Story) -> None:
    if not (getattr(actor, "is_authenticated", False) and story.contributor_id == actor.pk):
        raise PermissionDenied(_("Only the person who told this story can do this."))


def _delete_files_later(story: Story) -> None:
    names = list(story.media.values_list("file", flat=True))
    if names:
        transaction.on_commit(lambda: tasks.delete_files.enqueue(names=names))


@transaction.atomic
def story_withdraw(*, actor: Any, story: Story, token: str = "") -> Story:
    """Withdraw a story, at any time: through the account, or the link in the e-mail.
    It leaves every page, feed, the map data, the API and the search index; its files
    are deleted."""
    if token:
        signed = _story_from_token(token, "manage", None)
        if signed.pk != story.pk:
            raise PermissionDenied(_("This link is for another story."))
    else:
        _require_contributor(actor, story)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.state == StoryState.WITHDRAWN:
        return story
    story.state = StoryState.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.save()
    _close_reports(story, by=None)
    # Through the e-mail link whoever is logged in is not the one who withdraws.
    audit_record(actor=None if token else actor, action="story.withdraw", target=story)
    remove_later(STORY_DOC_TYPE, [story.pk])
    _delete_files_later(story)
    story.media.all().delete()
    return story


@transaction.atomic
def story_erase_by_link(*, token: str) -> None:
    """Erase a story through the link in its e-mails: the way a contributor without an
    account uses their right to erasure (with an account, `contributor_erase`). The
    story goes with its files, its search document, its reports and the name, e-mail
    and guardian details it holds; the audit log keeps only that story <id> was erased."""
    story = _story_from_token(token, "manage", None)
    audit_record(actor=None, action="story.erase_link", target=story)
    _delete_files_later(story)
    remove_later(STORY_DOC_TYPE, [story.pk])
    story.delete()


@transaction.atomic
def story_edit(
    *, actor: Any, story: Story, data: StoryInput, uploads: Uploads | None = None
) -> Story:
    """The contributor changes their story. A story that was sent goes back to
    moderation, hidden until a moderator approves the new version."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    _require_contributor(actor, story)
    if story.state == StoryState.WITHDRAWN:
        raise ValidationError({"state": [_("A withdrawn story cannot be changed.")]})
    _validate(data, has_account=True)
    uploads = uploads or Uploads()
    _check_room_for(story, uploads)
    cleaned = _clean_uploads(uploads)
    was_published = story.state == StoryState.PUBLISHED
    _apply(story, data)
    if story.state != StoryState.DRAFT:
        story.state = StoryState.AWAITING_CONFIRMATION
        story.submitted_at = timezone.now()
        if story.is_minor:
            # The guardian agreed to the version they read (and perhaps it is another
            # guardian now): every change of a minor's story is confirmed again.
            story.guardian_consent_at = None
        _advance(story)
    story.save()
    _store_media(story, cleaned)
    audit_record(
        actor=actor, action="story.edit", target=story, data={"was_published": was_published}
    )
    if was_published:
        remove_later(STORY_DOC_TYPE, [story.pk])
    if story.state == StoryState.AWAITING_CONFIRMATION:
        _send_confirmations(story)
    return story


def contributor_export(*, actor: Any) -> dict[str, Any]:
    """Everything we hold about the contributor's stories, as plain data."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to download your data."))
    stories = Story.objects.filter(contributor=actor).prefetch_related("media", "reports")
    return {
        "account": {"username": actor.username, "email": actor.email},
        "stories": [
            {
                "id": str(story.uuid),
                "title": story.title,
                "text": story.text,
                "language": story.language,
                "display_name": story.display_name,
                "licence": story.licence,
                "licence_uri": story.licence_uri,
                "state": story.state,
                "rejection_reason": story.rejection_reason,
                "about": story.about,
                "latitude": str(story.latitude) if story.latitude is not None else None,
                "longitude": str(story.longitude) if story.longitude is not None else None,
                "is_minor": story.is_minor,
                "guardian_name": story.guardian_name,
                "guardian_email": story.guardian_email,
                "created_at": story.created_at.isoformat(),
                "published_at": story.published_at.isoformat() if story.published_at else None,
                "media": [
                    {"kind": m.kind, "file": m.file.name, "description": m.description}
                    for m in story.media.all()
                ],
            }
            for story in stories
        ],
    }


@transaction.atomic
def contributor_erase(
    *, actor: Any, keep: set[int] | frozenset[int] = frozenset()
) -> dict[str, int]:
    """Erase the contributor's data. Published stories in `keep` under an open licence
    stay, anonymous (no account, no e-mail, no name, no guardian); every other story
    is deleted with its files. Returns {"kept": n, "deleted": n}."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to erase your data."))
    stories = list(Story.objects.select_for_update().filter(contributor=actor))
    kept = deleted = 0
    for story in stories:
        keepable = (
            story.pk in keep
            and story.licence in OPEN_LICENCES
            and story.state == StoryState.PUBLISHED
        )
        if keepable:
            story.contributor = None
            story.contributor_email = ""
            story.display_name = ""
            story.guardian_name = ""
            story.guardian_email = ""
            story.anonymised = True
            story.save()
            index_later(STORY_DOC_TYPE, [story.pk])
            kept += 1
        else:
            _delete_files_later(story)
            remove_later(STORY_DOC_TYPE, [story.pk])
            story.delete()
            deleted += 1
    audit_record(
        actor=actor, action="story.erase", target=actor, data={"kept": kept, "deleted": deleted}
    )
    return {"kept": kept, "deleted": deleted}
