from __future__ import annotations

import pytest

from reisgezel.neighbourhoods.tests.helpers import City, make_city


@pytest.fixture
def city(db: None) -> City:
    return make_city()
