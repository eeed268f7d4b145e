"""URLs: language-prefixed pages, plus unprefixed machine interfaces (API, feeds, health)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.api import api


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ical/", include("reisgezel.agenda.ical_urls")),
    path("id/", include("reisgezel.heritage.id_urls")),
    path("iiif/", include("reisgezel.heritage.iiif_urls")),
    path("", include("reisgezel.interop.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("reisgezel.agenda.urls")),
    path("places/", include("reisgezel.places.urls")),
    path("search/", include("reisgezel.search.urls")),
    path("collection/", include("reisgezel.heritage.urls")),
    path("learn/", include("reisgezel.learning.urls")),
    path("spaces/", include("reisgezel.spaces.urls")),
    path("stories/", include("reisgezel.stories.urls")),
    path("neighbourhoods/", include("reisgezel.neighbourhoods.urls")),
    path("ideas/", include("reisgezel.initiatives.urls")),
    path("partners/", include("reisgezel.agenda.partner_urls")),
    path("accounts/", include("reisgezel.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.IIIF_URL, document_root=settings.IIIF_ROOT)
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
