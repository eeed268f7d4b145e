"""Schemathesis fuzzes the read endpoints from the OpenAPI schema: no input makes a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.factories import make_organisation, make_place, published_event

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.django_db

READ_PATHS = (
    "/api/events",
    "/api/events/{event_id}",
    "/api/places",
    "/api/places/{slug}",
    "/api/organisers",
    "/api/organisers/{slug}",
)


@pytest.fixture
def api_schema(settings):
    from django.core.wsgi import get_wsgi_application

    from config.api import api

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


def test_read_endpoints_never_answer_5xx(api_schema):
    from schemathesis.checks import not_a_server_error

    published_event(organisation=make_organisation(slug="kumulus"))
    make_place(slug="muziekgieterij")
    operations = [
        result.ok()
        for result in api_schema.get_all_operations()
        if result.ok().method.upper() == "GET" and result.ok().path in READ_PATHS
    ]
    assert len(operations) == len(READ_PATHS)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        check()
