"""Accessibility checks with axe-core (the copy `npm run build` puts in frontend/dist/vendor/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "frontend" / "dist" / "vendor" / "axe.min.js"
# WCAG 2.2 level AA, the level Dutch public bodies must meet (EN 301 549).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Page, *, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe on the current page and return its violations (axe's own dicts)."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run ./dev build (npm ci && npm run build)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    options = {
        "runOnly": {"type": "tag", "values": tags or WCAG_22_AA},
        "resultTypes": ["violations"],
    }
    results = page.evaluate("async (options) => await window.axe.run(document, options)", options)
    return list(results["violations"])


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, *, tags: list[str] | None = None) -> None:
    """Fail with a readable list if axe finds WCAG 2.2 AA violations on the current page."""
    violations = axe_violations(page, tags=tags)
    if violations:
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
