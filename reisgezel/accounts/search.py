"""How partner organisations become search documents (registered in AccountsConfig.ready).

An organisation is found by its name, its kind ("association", "venue"...), its
description, its disciplines and its home place, in Dutch, English and every other
language its description has. Inactive organisations stay in the index for staff (the
admin searches it) but are not public: their organiser page answers 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.search.registry import Document, DocumentType

DOC_TYPE = "organisation"


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
        .select_related("home_place")
        .prefetch_related("disciplines")
    )
    for organisation in organisations:
        disciplines = list(organisation.disciplines.all())
        home = organisation.home_place.name if organisation.home_place else ""
        texts: dict[str, tuple[str, str]] = {}
        for lang in {"nl", "en", *organisation.description.keys()}:
            body = "\n".join(
                part
                for part in (
                    _kind_label(organisation.kind, lang),
                    organisation.description.get(lang, ""),
                    home,
                    *(term.label.get_for(lang) for term in disciplines),
                )
                if part
            )
            texts[lang] = (organisation.name, body)
        yield Document(
            doc_type=DOC_TYPE,
            object_id=organisation.pk,
            url=organisation_url(organisation),
            texts=texts,
            facets={
                "kind": [organisation.kind],
                "discipline": [term.code for term in disciplines],
            },
            public=organisation.is_active,
        )


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
