"""Public agenda pages (placeholders until the page work lands)."""

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Reisgezel")


def agenda_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("agenda")


def event_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return HttpResponse("event")


def directory(request: HttpRequest) -> HttpResponse:
    return HttpResponse("directory")


def organiser_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("organiser")
