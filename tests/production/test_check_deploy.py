"""`manage.py check --deploy` with the production environment."""

from __future__ import annotations

import re

import pytest

from tests.production.conftest import ProductionEnv

pytestmark = pytest.mark.services

# What the loopback relaxations SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0 switch off,
# and nothing else.
LOOPBACK_WARNINGS = {"security.W008", "security.W012", "security.W016"}


def _issue_ids(output: str) -> set[str]:
    return set(re.findall(r"\(([a-z_]+\.[A-Z]\d{3})\)", output))


def test_check_deploy_is_clean_with_the_production_defaults(production_env: ProductionEnv) -> None:
    env = production_env.with_(SECURE_SSL_REDIRECT=None, SECURE_COOKIES=None)
    result = production_env.manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert not _issue_ids(output), output


def test_loopback_relaxations_only_cost_the_expected_warnings(
    production_env: ProductionEnv,
) -> None:
    result = production_env.manage("check", "--deploy", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert _issue_ids(output) == LOOPBACK_WARNINGS, output
