"""The benchmark's data generators write rows straight into the tables (COPY, raw
inserts), past the models: a new column without a default breaks them only when a
benchmark runs. A small run here keeps them in step with the schema."""

from __future__ import annotations

import pytest

from bench.heritage_data import generate_objects
from reisgezel.heritage.models import HeritageObject

pytestmark = pytest.mark.django_db


def test_the_heritage_generator_fits_the_schema() -> None:
    counts = generate_objects(300, seed=3, log=lambda line: None)
    assert counts["objects"] == HeritageObject.objects.count() > 300  # with hidden ones
    assert counts["public"] == HeritageObject.objects.filter(is_public=True).count() == 300
    languages = set(HeritageObject.objects.values_list("date_display_language", flat=True))
    assert languages <= {"", "en"} and "en" in languages
    for obj in HeritageObject.objects.all()[:50]:
        obj.full_clean()  # what the generator writes is what the models allow
