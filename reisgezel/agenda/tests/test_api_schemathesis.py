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
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from reisgezel.agenda.management.commands.export_openapi import mounted_api

    settings.ALLOWED_HOSTS = ["*"]
    schema = schemathesis.openapi.from_dict(mounted_api().get_openapi_schema())
    schema.app = get_wsgi_application()
    # A WSGI request closes the database connection when it ends; inside the test's
    # transaction that would end the test's connection (as Django's test client knows).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
