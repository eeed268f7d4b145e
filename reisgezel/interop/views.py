"""Open-data endpoints: OAI-PMH (/oai), the dataset descriptions and the Darwin Core
Archive (/data/...). Thin: the protocol and export modules hold the rules."""

from __future__ import annotations

import json
from typing import Any

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from reisgezel.heritage.models import Collection
from reisgezel.interop import dataset
from reisgezel.interop.dwca_export.archive import FILENAME, archive_path, is_current
from reisgezel.interop.dwca_export.tasks import request_rebuild
from reisgezel.interop.oai.protocol import respond
from reisgezel.places.jsonld import script_json

JSON_LD = "application/ld+json"


@csrf_exempt  # harvesters POST form-encoded requests without a session or token
def oai_endpoint(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    if request.method == "GET":
        pairs = request.GET.lists()
    elif request.method == "POST":
        pairs = request.POST.lists()
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    response = StreamingHttpResponse(respond(pairs), content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _wants_html(request: HttpRequest) -> bool:
    """HTML only for clients that prefer it to JSON-LD (browsers); programs, `*/*`
    and no Accept header get JSON-LD."""
    preferred = request.get_preferred_type([JSON_LD, "application/json", "text/html"])
    return preferred == "text/html"


def _json_ld(data: dict[str, Any]) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=f"{JSON_LD}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: readable from any page
    response["Vary"] = "Accept"
    return response


@require_safe
def data_catalog(request: HttpRequest) -> HttpResponse:
    document = dataset.catalog_document()
    if _wants_html(request):
        datasets = [
            {
                "id": item["@id"],
                "name": dataset.text_in(item["name"], get_language()),
                "distribution": item["distribution"],
            }
            for item in document["dataset"]
        ]
        context = {"datasets": datasets, "jsonld": script_json(document)}
        response = render(request, "interop/data_catalog.html", context)
        response["Vary"] = "Accept"
        return response
    return _json_ld(document)


@require_safe
def data_dataset(request: HttpRequest, code: str) -> HttpResponse:
    collection = Collection.objects.filter(code=code).first()
    if collection is None:
        raise Http404(_("No such dataset."))
    return _json_ld(dataset.dataset_document(collection))


@require_safe
def specimens_archive(request: HttpRequest) -> HttpResponse | FileResponse:
    """The Darwin Core Archive. A stale or missing file is rebuilt by a task; meanwhile
    the last complete archive is served (or 503 when there is none yet)."""
    if not is_current():
        request_rebuild()
    path = archive_path()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        response = HttpResponse(
            _("The archive is being built. Please try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    download = FileResponse(
        handle, as_attachment=True, filename=FILENAME, content_type="application/zip"
    )
    download["Last-Modified"] = http_date(path.stat().st_mtime)
    download["Access-Control-Allow-Origin"] = "*"
    return download
