"""Test-wide settings.

REISGEZEL_TESTING selects the immediate task backend and fast password hashing. Outside
a request, messages are asserted in English, the source language of the code; pages are
requested with their language prefix and so render in that language.
"""

import os
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("REISGEZEL_TESTING", "1")
# Private uploads (import files) of test runs go to a temporary directory, not var/.
os.environ.setdefault("PRIVATE_ROOT", tempfile.mkdtemp(prefix="reisgezel-private-"))

from tests.smtp import smtp_server  # noqa: F401  (a fixture for every test package)


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (cached agenda counts must not leak)."""
    from django.core.cache import cache

    cache.clear()
    yield
