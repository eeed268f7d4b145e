"""Pages of the stories app. Thin: forms in, services do the work, selectors read."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reisgezel.core.rate_limits import client_ip
from reisgezel.stories import selectors, services
from reisgezel.stories.forms import RejectForm, ReportForm, StoryFilterForm, StoryForm
from reisgezel.stories.mapdata import stories_geojson
from reisgezel.stories.models import MediaKind, Story, StoryMedia, StoryReport, ThemedCollection

PAGE_SIZE = 24


def _add_errors(form: Any, error: ValidationError) -> None:
    for field_name, field_messages in error.message_dict.items():
        target = field_name if field_name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def story_list(request: HttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET or None)
    stories = selectors.published_stories()
    if form.is_valid():
        if form.cleaned_data.get("neighbourhood"):
            stories = selectors.published_stories(neighbourhood=form.cleaned_data["neighbourhood"])
        if form.cleaned_data.get("about"):
            stories = stories.filter(about=form.cleaned_data["about"])
    paginator = Paginator(stories, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "stories/list.html",
        {
            "form": form,
            "page_obj": page,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "page_range": list(paginator.get_elided_page_range(page.number)),
            "collections": selectors.public_collections(),
        },
    )


def story_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    story = selectors.story_for_reader(uuid=uuid, user=request.user)
    if story is None:
        raise Http404
    report_form = ReportForm()
    status = 200
    if request.method == "POST" and story.is_published:
        report_form = ReportForm(request.POST)
        if report_form.is_valid():
            try:
                services.rate_limit_check(
                    ip=client_ip(request), email=report_form.cleaned_data["email"], action="report"
                )
                services.story_report(
                    actor=request.user,
                    story=story,
                    reason=report_form.cleaned_data["reason"],
                    details=report_form.cleaned_data["details"],
                    email=report_form.cleaned_data["email"],
                )
            except services.RateLimitedError as exc:
                return render(
                    request, "stories/rate_limited.html", {"message": exc.message}, status=429
                )
            except ValidationError as exc:
                _add_errors(report_form, exc)
            else:
                messages.success(request, _("Thank you. Our editors will look at your report."))
                return HttpResponseRedirect(request.path)
        status = 400
    return render(
        request,
        "stories/story.html",
        {
            "story": story,
            "photos": [m for m in story.media.all() if m.kind == "photo"],
            "recordings": [m for m in story.media.all() if m.kind == "audio"],
            "report_form": report_form,
            "is_moderator": getattr(request.user, "can_moderate", False),
        },
        status=status,
    )


def story_media(request: HttpRequest, uuid: UUID) -> FileResponse:
    """A photo or recording, served only while its story may be seen by this reader."""
    item = get_object_or_404(StoryMedia.objects.select_related("story"), uuid=uuid)
    if selectors.story_for_reader(uuid=item.story.uuid, user=request.user) is None:
        raise Http404
    return _media_file(item)


def guardian_media(request: HttpRequest, token: str, uuid: UUID) -> FileResponse:
    """A photo or recording of an unpublished story, for the guardian whose consent link
    it is (the consent page shows them)."""
    item = services.story_media_for_guardian(token=token, media_uuid=uuid)
    if item is None:
        raise Http404
    return _media_file(item)


def _media_file(item: StoryMedia) -> FileResponse:
    name = item.file.name or ""
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


def _submit_form(request: HttpRequest) -> StoryForm:
    has_account = request.user.is_authenticated
    if request.method == "POST":
        return StoryForm(request.POST, request.FILES, has_account=has_account)
    initial: dict[str, Any] = {}
    for name in ("about", "place", "neighbourhood", "heritage_object", "event"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    return StoryForm(initial=initial, has_account=has_account)


def story_submit(request: HttpRequest) -> HttpResponse:
    form = _submit_form(request)
    status = 200
    if request.method == "POST":
        if form.is_spam():
            # A bot filled in the hidden field: thank it and keep nothing.
            return HttpResponseRedirect(reverse("stories:submitted"))
        if form.is_valid():
            data = form.story_input()
            try:
                services.rate_limit_check(ip=client_ip(request), email=data.email)
                story = services.story_submit(
                    actor=request.user,
                    data=data,
                    uploads=form.uploads(),
                    draft="draft" in request.POST and request.user.is_authenticated,
                )
            except services.RateLimitedError as exc:
                return render(
                    request, "stories/rate_limited.html", {"message": exc.message}, status=429
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                request.session["stories_last"] = str(story.uuid)
                return HttpResponseRedirect(reverse("stories:submitted"))
        status = 400
    return render(request, "stories/submit.html", {"form": form, "editing": None}, status=status)


def story_submitted(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/submitted.html", {})


def _token_page(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """Links in e-mails show a page with a button; only the POST acts (mail scanners
    follow links, and must not confirm or withdraw anything)."""
    done = None
    erased = False  # the story is gone: there is nothing left to show but the message
    error = ""
    if request.method == "POST":
        try:
            if action == "confirm":
                done = services.story_confirm_email(token=token)
            elif action == "guardian":
                done = services.story_guardian_consent(token=token)
            elif request.POST.get("erase"):
                services.story_erase_by_link(token=token)
                erased = True
            else:
                story = services.story_for_token(token=token, purpose="manage")
                done = services.story_withdraw(actor=request.user, story=story, token=token)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        except PermissionDenied as exc:
            error = str(exc)
    preview = None
    if action == "guardian" and done is None and not error:
        try:
            preview = services.story_for_token(token=token, purpose="guardian")
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    media = list(preview.media.all()) if preview is not None else []
    return render(
        request,
        "stories/token.html",
        {
            "action": "erased" if erased else action,
            "done": done or erased,
            "error": error,
            "preview": preview,
            # What the guardian agrees to is the whole story: its photos and recording
            # too, served through their link (the story is not public yet).
            "token": token,
            "photos": [m for m in media if m.kind == MediaKind.PHOTO],
            "recordings": [m for m in media if m.kind == MediaKind.AUDIO],
        },
        status=400 if error else 200,
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _token_page(request, token, "confirm")


def guardian(request: HttpRequest, token: str) -> HttpResponse:
    return _token_page(request, token, "guardian")


def withdraw_link(request: HttpRequest, token: str) -> HttpResponse:
    return _token_page(request, token, "withdraw")


# --- The contributor's own pages -----------------------------------------------------------


@login_required
def my_stories(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/mine.html", {"stories": selectors.stories_of(request.user)})


@login_required
def my_story_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    story = get_object_or_404(selectors.stories_of(request.user), uuid=uuid)
    status = 200
    if request.method == "POST":
        form = StoryForm(request.POST, request.FILES, has_account=True)
        if form.is_valid():
            try:
                services.story_edit(
                    actor=request.user, story=story, data=form.story_input(), uploads=form.uploads()
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Thank you. Your changes go to our editors first."))
                return HttpResponseRedirect(reverse("stories:mine"))
        status = 400
    else:
        form = StoryForm(initial=StoryForm.initial_from(story), has_account=True)
    return render(request, "stories/submit.html", {"form": form, "editing": story}, status=status)


@login_required
@require_POST
def my_story_withdraw(request: HttpRequest, uuid: UUID) -> HttpResponse:
    story = get_object_or_404(selectors.stories_of(request.user), uuid=uuid)
    services.story_withdraw(actor=request.user, story=story)
    messages.success(request, _("Your story was withdrawn. Nobody can see it any more."))
    return HttpResponseRedirect(reverse("stories:mine"))


@login_required
@require_POST
def my_story_send(request: HttpRequest, uuid: UUID) -> HttpResponse:
    story = get_object_or_404(selectors.stories_of(request.user), uuid=uuid)
    try:
        services.story_submit_draft(actor=request.user, story=story)
    except ValidationError as exc:  # sent before (a second click)
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you. Your story goes to our editors."))
    return HttpResponseRedirect(reverse("stories:mine"))


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = services.contributor_export(actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-stories.json"'
    return response


@login_required
def my_data_erase(request: HttpRequest) -> HttpResponse:
    stories = list(selectors.stories_of(request.user))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        keep = {int(pk) for pk in request.POST.getlist("keep") if pk.isascii() and pk.isdigit()}
        result = services.contributor_erase(actor=request.user, keep=keep)
        messages.success(
            request,
            _("Done: %(deleted)s stories deleted, %(kept)s kept anonymously.") % result,
        )
        return HttpResponseRedirect(reverse("stories:mine"))
    return render(request, "stories/erase.html", {"stories": stories})


# --- Collections, map, feed ---------------------------------------------------------------


def collection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "stories/collections.html", {"collections": selectors.public_collections()}
    )


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collection = get_object_or_404(ThemedCollection, slug=slug, is_public=True)
    return render(
        request,
        "stories/collection.html",
        {"collection": collection, "stories": selectors.collection_stories(collection)},
    )


def story_map(request: HttpRequest) -> HttpResponse:
    stories = selectors.published_stories().filter(public_latitude__isnull=False)
    return render(
        request,
        "stories/map.html",
        {
            "stories": stories[:500],
            "tile_url": getattr(settings, "STORIES_TILE_URL", ""),
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        },
    )


def story_map_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(stories_geojson(selectors.published_stories()))


# --- Moderation ------------------------------------------------------------------------------


def _moderator(request: HttpRequest) -> None:
    if not getattr(request.user, "can_moderate", False):
        raise PermissionDenied


def moderation(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    return render(
        request,
        "stories/moderation.html",
        {
            "queue": selectors.moderation_queue().select_related("place", "neighbourhood"),
            "reported": selectors.stories_with_open_reports(),
            "reject_form": RejectForm(),
        },
    )


@require_POST
def moderate(request: HttpRequest, uuid: UUID) -> HttpResponse:
    _moderator(request)
    story = get_object_or_404(Story.objects, uuid=uuid)
    try:
        if request.POST.get("decision") == "approve":
            services.story_approve(actor=request.user, story=story)
            messages.success(request, _("The story is published."))
        else:
            # Through the form, which refuses a NUL character (PostgreSQL stores none);
            # an empty reason is the service's to refuse, with its own message.
            form = RejectForm(request.POST)
            if not form.is_valid() and not form.has_error("reason", "required"):
                raise ValidationError(list(form.errors["reason"]))
            services.story_reject(
                actor=request.user, story=story, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("The story is rejected; the contributor gets your reason."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return HttpResponseRedirect(reverse("stories:moderation"))


@require_POST
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    report = get_object_or_404(StoryReport, pk=pk, resolved_at__isnull=True)
    services.report_resolve(actor=request.user, report=report, note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("stories:moderation"))
