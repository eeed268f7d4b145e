"""IIIF URLs under /iiif/ (not language-prefixed: programs read them).

/iiif/object/<pid>/manifest.json         Presentation 3.0 Manifest of a public object
/iiif/collection/<code>.json             Collection of a heritage collection (or its pages)
/iiif/collection/<code>/<page>.json      one page of a large collection
/iiif/exhibit/<slug>.json                Collection of a public exhibit's objects
/iiif/image/<key>/...                    static Image API 3.0 level-0 files (the default
                                         settings.IIIF_URL), served by Django only where no
                                         web server does (see iiif_views.serves_images)
"""

from django.urls import URLPattern, URLResolver, path

from reisgezel.heritage import iiif_views

app_name = "iiif"

urlpatterns: list[URLPattern | URLResolver] = [
    path("object/<str:pid>/manifest.json", iiif_views.manifest, name="manifest"),
    path("collection/<str:code>.json", iiif_views.collection, name="collection"),
    path(
        "collection/<str:code>/<int:page>.json",
        iiif_views.collection,
        name="collection_page",
    ),
    path("exhibit/<str:slug>.json", iiif_views.exhibit, name="exhibit"),
    path("image/<path:path>", iiif_views.image_file, name="image_file"),
    # Anything else under /iiif/: a JSON 404 that other sites' viewers may read (CORS).
    path("<path:path>", iiif_views.not_found),
]
