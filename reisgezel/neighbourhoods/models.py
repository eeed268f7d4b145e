"""A resident's own neighbourhood ("my neighbourhood"), shown on the home page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.places.models import Neighbourhood


class HomeNeighbourhood(models.Model):
    """The buurt a signed-in resident chose. Visitors without an account keep their
    choice in a cookie instead (see preference.py); one row per user at most."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_neighbourhood"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="residents_home"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("home neighbourhood")
        verbose_name_plural = _("home neighbourhoods")

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.neighbourhood_id}"
