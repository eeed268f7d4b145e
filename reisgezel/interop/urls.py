"""Unprefixed machine interfaces: OAI-PMH, open-data downloads and descriptions, sitemap."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, URLResolver, path

from reisgezel.interop import views
from reisgezel.interop.sitemaps import SITEMAPS

app_name = "interop"
urlpatterns: list[URLPattern | URLResolver] = [
    path("oai", views.oai_endpoint, name="oai"),
    path("data/", views.data_catalog, name="catalog"),
    path("data/specimens.dwca.zip", views.specimens_archive, name="specimens-dwca"),
    path("data/<slug:code>/", views.data_dataset, name="dataset"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "interop:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
