"""Background tasks of the agenda (Django's tasks framework; ids in, never objects)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.template.loader import render_to_string
from django.utils import translation

from reisgezel.agenda.cache import prepare_started
from reisgezel.agenda.feeds import feed_import
from reisgezel.agenda.filters import AgendaFilterForm, DatePreset
from reisgezel.agenda.models import Event, ImportFeed, ModerationState
from reisgezel.agenda.selectors import agenda_prepare


@task()
def notify_moderation_decision(*, event_id: int) -> int:
    """E-mail the organiser's members the moderator's decision, each in their language."""
    event = Event.objects.select_related("organiser").filter(pk=event_id).first()
    if event is None or event.moderation not in (
        ModerationState.APPROVED,
        ModerationState.REJECTED,
    ):
        return 0
    decision = event.moderation_log.first()
    sent = 0
    for membership in event.organiser.memberships.select_related("user"):
        user = membership.user
        if not user.email or not user.is_active:
            continue
        with translation.override(user.preferred_language):
            context = {"event": event, "decision": decision, "user": user}
            subject = render_to_string("agenda/email/moderation_subject.txt", context).strip()
            body = render_to_string("agenda/email/moderation_body.txt", context)
        sent += send_mail(subject, body, None, [user.email])
    return sent


@task()
def import_feed(*, feed_id: int) -> int | None:
    """Import one partner feed; returns the ImportRun id (None if the feed is gone)."""
    feed = ImportFeed.objects.filter(pk=feed_id, is_active=True).first()
    return feed_import(feed=feed).pk if feed is not None else None


@task()
def import_all_feeds() -> int:
    """Enqueue an import of every active feed (each its own task). Returns how many."""
    ids = list(ImportFeed.objects.filter(is_active=True).values_list("pk", flat=True))
    for feed_id in ids:
        import_feed.enqueue(feed_id=feed_id)
    return len(ids)


@task()
def prepare_popular_views() -> dict[str, int]:
    """Compute the counts, first page and facets of the agenda list and of each date
    preset, so the first visitor after a change does not wait for them. Returns the
    totals per view."""
    prepare_started()
    totals: dict[str, int] = {}
    for when in ("", *(value for value, _label in DatePreset.CHOICES)):
        form = AgendaFilterForm({"when": when} if when else {})
        if form.is_valid():
            totals[when or "all"] = agenda_prepare(form.filters())
    return totals
