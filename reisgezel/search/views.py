"""The site-wide search page (GET ?q=&type=&page=)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from reisgezel.search.forms import SearchForm
from reisgezel.search.selectors import search_page


def results(request: HttpRequest) -> HttpResponse:
    text, doc_type, page = SearchForm(request.GET).values()
    content = search_page(
        text=text, doc_type=doc_type, page=page, language=translation.get_language()
    )
    return render(request, "search/results.html", {"search": content})
