"""The curator's workflow in the Django admin (docs/heritage-admin.md).

Thin over the services: saves and deletions go through `editing` / `services`
(audit log, search index, tombstones), uploads through `media.media_add`, publishing and
rights through `services.objects_set_public` / `objects_set_rights`. Object and
dictionary search use the search index (as the public site does); the small authority
lists (agents, concepts, collections) match exact names, codes and identifiers, with
list filters for the rest (no substring search: see reisgezel/search/admin.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reisgezel.core.admin import ReadOnlyAdmin
from reisgezel.heritage import editing, uris
from reisgezel.heritage.admin_media import MediaFileAdmin
from reisgezel.heritage.models import (
    Agent,
    Collection,
    Concept,
    DialectEntry,
    DialectExample,
    DialectSense,
    Dimension,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    Inscription,
    MediaFile,
    ObjectAgent,
    Specimen,
    Tombstone,
)
from reisgezel.heritage.rights import RIGHTS_CHOICES, rights_label
from reisgezel.heritage.search import MEANING_DOC_TYPE, WORD_DOC_TYPE
from reisgezel.heritage.services import (
    OBJECT_DOC_TYPE,
    object_delete,
    objects_set_public,
    objects_set_rights,
)
from reisgezel.search.query import matching_object_ids

__all__ = ["MediaFileAdmin"]

SET_RIGHTS_TEMPLATE = """{% extends "admin/base_site.html" %}{% load i18n %}
{% block content %}
<form method="post">{% csrf_token %}
  <p>{% blocktranslate count counter=count trimmed %}
    Set the rights statement of {{ counter }} object:
  {% plural %}
    Set the rights statement of {{ counter }} objects:
  {% endblocktranslate %}</p>
  <ul>{% for obj in shown %}<li>{{ obj }}</li>{% endfor %}{% if more %}<li>…</li>{% endif %}</ul>
  <fieldset class="module aligned">{{ form.as_div }}</fieldset>
  {% for pk in ids %}<input type="hidden" name="{{ checkbox }}" value="{{ pk }}">{% endfor %}
  <input type="hidden" name="action" value="set_rights">
  <div class="submit-row">
    <input type="submit" name="apply" value="{% translate 'Set rights' %}">
  </div>
</form>
{% endblock %}"""


class SetRightsForm(forms.Form):
    rights_uri = forms.ChoiceField(label=_("Rights statement"), choices=RIGHTS_CHOICES)
    include_media = forms.BooleanField(
        label=_("Also for the images and sound of these objects"), required=False
    )


def _summary(formset: BaseInlineFormSet[Any, Any, Any]) -> str:
    return (
        f"{len(formset.new_objects)} added, {len(formset.changed_objects)} changed, "
        f"{len(formset.deleted_objects)} deleted"
    )


class AuditedInlinesMixin(admin.ModelAdmin):
    """Edits of inline rows are recorded on the parent record."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save()
        if formset.new_objects or formset.changed_objects or formset.deleted_objects:
            part = str(formset.model._meta.verbose_name_plural)
            self.parts_changed(request, form.instance, part, _summary(formset))

    def parts_changed(self, request: HttpRequest, parent: Any, part: str, summary: str) -> None:
        editing.record_parts_changed(parent, actor=request.user, part=part, summary=summary)


class RecordAdmin(AuditedInlinesMixin):
    """Agents, concepts, collections, exhibits, entries: saved and deleted via editing."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        editing.record_save(
            record=obj, actor=request.user, created=not change, changed=form.changed_data
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        editing.record_delete(record=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for record in queryset:
            editing.record_delete(record=record, actor=request.user)


# --- Objects ---------------------------------------------------------------------------


class ObjectAgentInline(admin.TabularInline):
    model = ObjectAgent
    extra = 0
    autocomplete_fields = ("agent",)


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


class InscriptionInline(admin.StackedInline):
    model = Inscription
    extra = 0


class SpecimenInline(admin.StackedInline):
    model = Specimen
    extra = 0
    max_num = 1
    autocomplete_fields = ("collector",)


class MediaInline(admin.TabularInline):
    """Read-only here: files are added and changed in "Media files" (the upload checks)."""

    model = MediaFile
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("kind", "tile_state", "rights_uri", "credit", "position")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HeritageObjectForm(forms.ModelForm):
    """The persistent identifier is checked here so the curator reads why (the service,
    editing.object_save, refuses it too)."""

    class Meta:
        model = HeritageObject
        fields = ("pid",)  # the admin adds the rest from its fieldsets

    def clean_pid(self) -> str:
        pid = str(self.cleaned_data.get("pid", ""))
        if problem := editing.pid_problem(pid, obj=self.instance if self.instance.pk else None):
            raise forms.ValidationError(problem)
        return pid


@admin.register(HeritageObject)
class HeritageObjectAdmin(AuditedInlinesMixin):
    form = HeritageObjectForm
    list_display = (
        "inventory_number",
        "title_text",
        "collection",
        "object_type",
        "is_public",
        "rights",
        "updated_at",
    )
    list_filter = (
        "collection",
        "is_public",
        "rights_uri",
        ("object_type", admin.RelatedOnlyFieldListFilter),
    )
    # A search box must exist for get_search_results to be called (see there).
    search_fields = ("=pid", "=inventory_number")
    list_select_related = ("collection", "object_type")
    autocomplete_fields = ("object_type", "materials", "techniques", "subjects")
    readonly_fields = (
        "persistent_uri",
        "media_links",
        "uuid",
        "source",
        "source_id",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("pid", "persistent_uri", "inventory_number", "collection")}),
        (_("Description"), {"fields": ("title", "description", "object_type")}),
        (
            _("Production"),
            {
                "fields": (
                    ("date_display", "date_display_language"),
                    ("date_earliest", "date_latest"),
                    ("production_place", "production_place_uri"),
                    "materials",
                    "techniques",
                    "dimensions_display",
                )
            },
        ),
        (_("Subjects and history"), {"fields": ("subjects", "provenance", "credit_line")}),
        (_("Publication"), {"fields": ("rights_uri", "is_public", "media_links")}),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": ("uuid", "source", "source_id", "created_at", "updated_at"),
            },
        ),
    )
    inlines = [ObjectAgentInline, DimensionInline, InscriptionInline, SpecimenInline, MediaInline]
    actions = ["publish", "unpublish", "set_rights"]

    @admin.display(description=_("title"))
    def title_text(self, obj: HeritageObject) -> str:
        return str(obj.title)

    @admin.display(description=_("rights"), ordering="rights_uri")
    def rights(self, obj: HeritageObject) -> str:
        return rights_label(obj.rights_uri)

    @admin.display(description=_("persistent URI"))
    def persistent_uri(self, obj: HeritageObject) -> str:
        if not obj.pk:
            return "-"
        uri = uris.object_uri(obj.pid)
        return format_html('<a href="{}">{}</a>', uri, uri)

    @admin.display(description=_("images and sound"))
    def media_links(self, obj: HeritageObject) -> str:
        if not obj.pk:
            return str(_("Save the object first."))
        url = reverse("admin:heritage_mediafile_add") + f"?object={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Add an image or a sound file"))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[HeritageObject], search_term: str
    ) -> tuple[QuerySet[HeritageObject], bool]:
        """Full text through the search index (hidden objects included), plus an exact
        inventory number or pid."""
        term = search_term.strip()
        if not term:
            return queryset, False
        ids = matching_object_ids(doc_type=OBJECT_DOC_TYPE, text=term, public_only=False)
        exact = Q(inventory_number=term) | Q(pid=term)
        return queryset.filter(Q(pk__in=ids) | exact), False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A persistent URI never changes: the identifier is set once, when adding.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "pid") if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        editing.object_save(
            obj=obj, actor=request.user, created=not change, changed=form.changed_data
        )

    def parts_changed(self, request: HttpRequest, parent: Any, part: str, summary: str) -> None:
        editing.object_parts_changed(parent, actor=request.user, part=part, summary=summary)

    def delete_model(self, request: HttpRequest, obj: HeritageObject) -> None:
        object_delete(obj, actor=request.user, message="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HeritageObject]) -> None:
        for obj in queryset.select_related("collection"):
            object_delete(obj, actor=request.user, message="admin")

    @admin.action(description=_("Publish selected objects"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[HeritageObject]) -> None:
        count = objects_set_public(
            queryset.values_list("pk", flat=True), public=True, actor=request.user
        )
        self.message_user(request, _("%(n)d objects published.") % {"n": count})

    @admin.action(description=_("Hide selected objects"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[HeritageObject]) -> None:
        count = objects_set_public(
            queryset.values_list("pk", flat=True), public=False, actor=request.user
        )
        self.message_user(request, _("%(n)d objects hidden.") % {"n": count})

    @admin.action(description=_("Set the rights statement…"), permissions=["change"])
    def set_rights(
        self, request: HttpRequest, queryset: QuerySet[HeritageObject]
    ) -> HttpResponse | None:
        if "apply" in request.POST:
            form = SetRightsForm(request.POST)
            if form.is_valid():
                count = objects_set_rights(
                    queryset.values_list("pk", flat=True),
                    rights_uri=form.cleaned_data["rights_uri"],
                    include_media=form.cleaned_data["include_media"],
                    actor=request.user,
                )
                label = rights_label(form.cleaned_data["rights_uri"])
                message = ngettext(
                    "Rights of %(n)d object set to %(rights)s.",
                    "Rights of %(n)d objects set to %(rights)s.",
                    count,
                ) % {"n": count, "rights": label}
                self.message_user(request, message, messages.SUCCESS)
                return None
        else:
            form = SetRightsForm()
        ids = list(queryset.values_list("pk", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Set the rights statement"),
            "form": form,
            "ids": ids,
            "count": len(ids),
            "shown": list(queryset[:50]),
            "more": len(ids) > 50,
            "checkbox": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        template = engines["django"].from_string(SET_RIGHTS_TEMPLATE)
        return HttpResponse(template.render(context, request))


# --- Vocabularies, agents, collections -------------------------------------------------


@admin.register(Agent)
class AgentAdmin(RecordAdmin):
    list_display = ("name", "kind", "dates_display", "wikidata_id", "rkd_id")
    list_filter = ("kind",)
    search_fields = ("=name", "=slug", "=wikidata_id", "=rkd_id")  # exact: see search/admin.py
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Concept)
class ConceptAdmin(RecordAdmin):
    list_display = ("code", "label", "scheme", "uri")
    list_filter = ("scheme",)
    search_fields = ("=code", "=uri")  # exact: see search/admin.py
    autocomplete_fields = ("broader",)


@admin.register(Collection)
class CollectionAdmin(RecordAdmin):
    list_display = ("code", "name", "kind", "institution", "position")
    list_filter = ("kind",)
    search_fields = ("=code",)  # exact: a handful of collections

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The code is the OAI-PMH set and part of the records' history: once objects are
        # in the collection it stays (harvesters would lose track of the set).
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.items.exists():
            return (*fields, "code")
        return fields


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    list_display = ("pid", "collection_code", "deleted_at")
    search_fields = ("=pid",)
    date_hierarchy = "deleted_at"


# --- Exhibits --------------------------------------------------------------------------


class ExhibitSectionInline(admin.StackedInline):
    model = ExhibitSection
    extra = 0
    show_change_link = True
    raw_id_fields = ("media",)


class ExhibitObjectInline(admin.TabularInline):
    model = ExhibitObject
    extra = 0
    autocomplete_fields = ("object",)


class PublishableAdmin(RecordAdmin):
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = editing.records_set_public(queryset, public=True, actor=request.user)
        self.message_user(request, _("%(n)d published.") % {"n": count})

    @admin.action(description=_("Hide selected"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = editing.records_set_public(queryset, public=False, actor=request.user)
        self.message_user(request, _("%(n)d hidden.") % {"n": count})


@admin.register(Exhibit)
class ExhibitAdmin(PublishableAdmin):
    list_display = ("slug", "title_text", "is_public", "position", "updated_at")
    list_filter = ("is_public",)
    search_fields = ("=slug",)  # exact: a handful of exhibits
    raw_id_fields = ("cover",)
    inlines = [ExhibitSectionInline]

    @admin.display(description=_("title"))
    def title_text(self, obj: Exhibit) -> str:
        return str(obj.title)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # A section deleted here takes its objects off the exhibit.
        with editing.exhibits_showing_tracked(form.instance.pk):
            super().save_related(request, form, formsets, change)


@admin.register(ExhibitSection)
class ExhibitSectionAdmin(AuditedInlinesMixin):
    """A section with its objects (Django's admin has no inline within an inline)."""

    list_display = ("heading_text", "exhibit", "position")
    list_select_related = ("exhibit",)
    list_filter = ("exhibit",)
    raw_id_fields = ("media",)
    inlines = [ExhibitObjectInline]

    @admin.display(description=_("heading"))
    def heading_text(self, obj: ExhibitSection) -> str:
        return str(obj.heading)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A section moved to another exhibit changes what both show.
        with editing.exhibits_showing_tracked(form.initial.get("exhibit"), obj.exhibit_id):
            obj.save()
        summary = ", ".join(form.changed_data) or "saved"
        editing.record_parts_changed(
            obj.exhibit, actor=request.user, part="section", summary=summary
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with editing.exhibits_showing_tracked(form.instance.exhibit_id):
            super().save_related(request, form, formsets, change)

    def parts_changed(self, request: HttpRequest, parent: Any, part: str, summary: str) -> None:
        editing.record_parts_changed(parent.exhibit, actor=request.user, part=part, summary=summary)

    def delete_model(self, request: HttpRequest, obj: ExhibitSection) -> None:
        exhibit = obj.exhibit
        with editing.exhibits_showing_tracked(exhibit.pk):
            obj.delete()
        editing.record_parts_changed(exhibit, actor=request.user, part="section", summary="deleted")

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ExhibitSection]) -> None:
        # "Delete selected": each section as delete_model does (audited, exhibit reindexed).
        for section in queryset.select_related("exhibit"):
            self.delete_model(request, section)


# --- Dialect dictionary ----------------------------------------------------------------


class DialectSenseInline(admin.TabularInline):
    model = DialectSense
    extra = 0


class DialectExampleInline(admin.TabularInline):
    model = DialectExample
    extra = 0


@admin.register(DialectEntry)
class DialectEntryAdmin(PublishableAdmin):
    list_display = ("lemma", "part_of_speech", "gender", "is_public", "updated_at")
    list_filter = ("is_public", "part_of_speech")
    search_fields = ("=slug",)  # see get_search_results
    prepopulated_fields = {"slug": ("lemma",)}
    autocomplete_fields = ("related_objects",)
    filter_horizontal = ("related_exhibits",)
    raw_id_fields = ("audio",)
    inlines = [DialectSenseInline, DialectExampleInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[DialectEntry], search_term: str
    ) -> tuple[QuerySet[DialectEntry], bool]:
        """Both directions, through the search index: the Mestreechs word and its
        Dutch or English meanings."""
        term = search_term.strip()
        if not term:
            return queryset, False
        words = matching_object_ids(doc_type=WORD_DOC_TYPE, text=term, public_only=False)
        meanings = matching_object_ids(doc_type=MEANING_DOC_TYPE, text=term, public_only=False)
        return queryset.filter(Q(pk__in=words) | Q(pk__in=meanings) | Q(slug=term)), False
