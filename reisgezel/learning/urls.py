"""Pages of the talent developer, under /<lang>/learn/. Each part has its own module."""

from reisgezel.learning import (
    urls_catalogue,
    urls_enrol,
    urls_invitations,
    urls_provider,
    urls_schools,
)

app_name = "learning"
urlpatterns = [
    *urls_catalogue.urlpatterns,
    *urls_enrol.urlpatterns,
    *urls_schools.urlpatterns,
    *urls_provider.urlpatterns,
    *urls_invitations.urlpatterns,
]
