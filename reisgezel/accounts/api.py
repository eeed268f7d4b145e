"""API of accounts: the partner token authentication and the organiser directory."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import HttpBearer

from reisgezel.accounts.models import ApiToken, Organisation
from reisgezel.accounts.selectors import api_token_authenticate
from reisgezel.core.api_errors import ErrorOut
from reisgezel.core.i18n import LanguageMap


class PartnerToken(HttpBearer):
    """`Authorization: Bearer rg_...`: an organisation's live API token (see docs/api.md).

    The request then carries `request.auth`, the ApiToken. It acts for its
    `organisation` as an ordinary member (`TokenActor`), never with the rights of the
    person who made it. Unknown, revoked or inactive tokens answer 401.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return api_token_authenticate(key=token.strip())


class OrganiserOut(Schema):
    slug: str
    name: str
    kind: str
    description: dict[str, str]
    description_text: str
    website: str
    disciplines: list[str]
    home_place: str | None


class OrganiserListOut(Schema):
    items: list[OrganiserOut]
    total: int


router = Router(tags=["organisers"])


def _organiser(org: Organisation, lang: str) -> dict[str, object]:
    description = LanguageMap(org.description)
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "description": dict(description),
        "description_text": description.get_for(lang),
        "website": org.website,
        "disciplines": [t.code for t in org.disciplines.all()],
        "home_place": org.home_place.slug if org.home_place else None,
    }


def _organisations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("home_place")
        .prefetch_related("disciplines")
        .order_by("name")
    )


@router.get("/organisers", response=OrganiserListOut, summary="Active partner organisations")
def organiser_list(request: HttpRequest, lang: str = "nl") -> dict[str, object]:
    items = [_organiser(org, lang) for org in _organisations()]
    return {"items": items, "total": len(items)}


@router.get(
    "/organisers/{slug}", response={200: OrganiserOut, 404: ErrorOut}, summary="One organiser"
)
def organiser_detail(request: HttpRequest, slug: str, lang: str = "nl") -> dict[str, object]:
    return _organiser(get_object_or_404(_organisations(), slug=slug), lang)
