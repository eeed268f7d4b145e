"""How partner organisations become search documents (registered in AccountsConfig.ready).

An organisation is found by its name, its kind ("association", "venue"...), its
description, its audience, its disciplines, its home place and the neighbourhoods it is
active in, and by whether it welcomes new members or volunteers (with the notes about
that), in Dutch, English and every other language its description has. Facets: kind,
discipline, neighbourhood (buurt slugs, active in or at home) and joining
("open_for_members", "wants_volunteers"). Inactive organisations stay in the index for staff (the
admin searches it) but are not public: their organiser page answers 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.core.models import Term
from reisgezel.search.registry import Dependency, Document, DocumentType

DOC_TYPE = "organisation"
OPEN_FOR_MEMBERS = gettext_lazy("Open for new members")
WANTS_VOLUNTEERS = gettext_lazy("Looking for volunteers")


def _kind_label(kind: str, lang: str) -> str:
    try:
        label = OrganisationKind(kind).label
    except ValueError:
        return ""
    with translation.override(lang):
        return str(label)


def _documents(ids: Sequence[int]) -> Iterable[Document]:
    organisations = (
        Organisation.objects.filter(pk__in=ids)
        .select_related("home_place__neighbourhood")
        .prefetch_related("disciplines", "active_in")
    )
    for organisation in organisations:
        disciplines = list(organisation.disciplines.all())
        home = organisation.home_place.name if organisation.home_place else ""
        active_in = list(organisation.active_in.all())
        home_buurt = organisation.home_place.neighbourhood if organisation.home_place else None
        buurten = {b.slug: b.name for b in [*active_in, *([home_buurt] if home_buurt else [])]}
        texts: dict[str, tuple[str, str]] = {}
        languages = {"nl", "en", *organisation.description.keys(), *organisation.audience.keys()}
        for lang in languages:
            body = "\n".join(
                part
                for part in (
                    _kind_label(organisation.kind, lang),
                    organisation.description.get(lang, ""),
                    organisation.audience.get_for(lang),
                    home,
                    *buurten.values(),
                    *(term.label.get_for(lang) for term in disciplines),
                    _joining_text(organisation, lang),
                )
                if part
            )
            texts[lang] = (organisation.name, body)
        yield Document(
            doc_type=DOC_TYPE,
            object_id=organisation.pk,
            url=organisation_url(organisation),
            texts=texts,
            facets=_facets(organisation, disciplines, sorted(buurten)),
            public=organisation.is_active,
        )


def _facets(
    organisation: Organisation, disciplines: list[Term], buurten: list[str]
) -> dict[str, list[str]]:
    facets = {"kind": [organisation.kind], "discipline": [term.code for term in disciplines]}
    # Only facets with values: a document without them stays as it was before profiles.
    if buurten:
        facets["neighbourhood"] = buurten
    joining = _joining_facets(organisation)
    if joining:
        facets["joining"] = joining
    return facets


def _joining_facets(organisation: Organisation) -> list[str]:
    """ "open_for_members" and/or "wants_volunteers": the directory's two check boxes."""
    return [
        name for name in ("open_for_members", "wants_volunteers") if getattr(organisation, name)
    ]


def _joining_text(organisation: Organisation, lang: str) -> str:
    """Words a resident searches with ("koor nieuwe leden", "vrijwilligers") and the notes."""
    parts = []
    with translation.override(lang):
        if organisation.open_for_members:
            parts += [str(OPEN_FOR_MEMBERS), organisation.members_note.get_for(lang)]
        if organisation.wants_volunteers:
            parts += [str(WANTS_VOLUNTEERS), organisation.volunteers_note.get_for(lang)]
    return "\n".join(p for p in parts if p)


def organisation_url(organisation: Organisation) -> str:
    """The organiser page (Dutch prefix; the search page shows it in the visitor's language).

    The page belongs to the agenda, a layer above: it is named, not imported.
    """
    with translation.override("nl"):
        return reverse("agenda:organiser", kwargs={"slug": organisation.slug})


def _all_ids() -> Iterable[int]:
    return Organisation.objects.values_list("pk", flat=True).iterator(chunk_size=2000)


ORGANISATION_DOCUMENTS = DocumentType(
    name=DOC_TYPE, label=gettext_lazy("Organisations"), build=_documents, all_ids=_all_ids
)


def _organisations_at_places(place_ids: Sequence[int]) -> Iterable[int]:
    return Organisation.objects.filter(home_place_id__in=place_ids).values_list("pk", flat=True)


# An organisation's document carries its home place's name and buurt: renaming or
# moving the place reindexes the organisations at home there.
ORGANISATION_DEPENDENCIES = (
    Dependency(on="place", doc_type=DOC_TYPE, ids_for=_organisations_at_places),
)
