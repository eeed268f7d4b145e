"""The deep-zoom viewer in Chromium: OpenSeadragon (from the npm registry) reads our IIIF
manifest, loads the static info.json and draws the level-0 tiles; with the site's real
Content-Security-Policy, with the keyboard, without JavaScript, and without axe-core
violations.

The viewer lives on the object page (heritage:object), which includes
heritage/_deep_zoom.html; until that page renders the partial, these tests skip.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from PIL import Image, ImageStat
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import HeritageObject, TileState
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.heritage_factories import ObjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHOTOS = Path(settings.SHARED_DATA_DIR) / "iiif" / "images"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
TILE = re.compile(r"/iiif/image/[0-9a-f]{32}/(full|\d+,\d+,\d+,\d+)/(max|\d+,\d+)/0/default\.jpg$")
INFO = re.compile(r"/iiif/image/[0-9a-f]{32}/info\.json$")


@pytest.fixture
def zoomable(settings: Any, tmp_path: Path, live_server: Any) -> HeritageObject:
    """A public object with two photos, tiled by the task (immediate backend), whose
    IIIF ids point at the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    settings.SITE_URL = str(live_server.url)
    obj = ObjectFactory(
        pid="waterval-bord",
        title={"nl": "Bord met waterval", "en": "Plate with a waterfall"},
    )
    for orientation, alt in ((6, "Voorkant: een waterval in het bos"), (2, "Achterkant")):
        media_add(
            actor=None,
            data=(PHOTOS / f"landscape_{orientation}.jpg").read_bytes(),
            obj=obj,
            alt_text={"nl": alt, "en": alt},
            rights_uri=CC0,
        )
    assert list(obj.media.values_list("tile_state", flat=True)) == [TileState.READY] * 2
    return obj


def viewer_path(obj: HeritageObject, lang: str) -> str:
    with translation.override(lang):
        try:
            return reverse("heritage:object", kwargs={"pid": obj.pid})
        except NoReverseMatch:
            pytest.skip("heritage:object is not there yet (the object page comes separately)")


def open_viewer_page(page: Page, obj: HeritageObject, lang: str = "nl") -> None:
    response = page.goto(viewer_path(obj, lang))
    if response is None or response.status != 200 or not page.locator("[data-deep-zoom]").count():
        pytest.skip(
            "the object page does not render heritage/_deep_zoom.html yet: it should include "
            "it with deep_zoom=reisgezel.heritage.iiif.viewer.deep_zoom_for(obj)"
        )


def csp_messages(console: list[str]) -> set[str]:
    return {line for line in console if "Content Security Policy" in line}


def osd_style_hash(page: Page) -> str:
    """The CSP hash of the <style> OpenSeadragon adds to hide the canvas's focus ring on
    touch screens: the CSP blocks it (expected; the ring stays, as it should)."""
    css = page.evaluate(
        "() => document.querySelector('style[data-openseadragon-mobile-css]')?.textContent || ''"
    )
    return "sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


@pytest.fixture
def strict_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page with the site's Content-Security-Policy enforced (the shared fixture
    bypasses it for axe): OpenSeadragon must work under it."""
    context: BrowserContext = browser.new_context(base_url=str(live_server.url), locale="nl-NL")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_openseadragon_loads_info_json_and_draws_tiles(
    strict_page: Page, zoomable: HeritageObject
) -> None:
    page = strict_page
    responses: list[Response] = []
    console: list[str] = []
    page.on("response", lambda response: responses.append(response))
    page.on("console", lambda message: console.append(message.text))
    page.goto("/nl/")  # what every page reports already is not the viewer's doing
    before = csp_messages(console)
    open_viewer_page(page, zoomable)

    region = page.locator("[data-deep-zoom]")
    expect(region).to_have_attribute("data-deep-zoom-ready", "true")
    expect(region.locator("canvas").first).to_be_attached()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".filter(e => /\\/default\\.jpg$/.test(e.name)).length >= 1"
    )
    page.wait_for_timeout(500)  # let the first tiles land on the canvas
    infos = [r for r in responses if INFO.search(r.url)]
    tiles = [r for r in responses if TILE.search(r.url)]
    assert infos and all(r.status == 200 for r in infos)
    assert tiles and all(r.status == 200 for r in tiles), [(r.url, r.status) for r in tiles]
    keys = {m.key.hex for m in zoomable.media.all()}
    assert {re.search(r"[0-9a-f]{32}", r.url).group(0) for r in infos} <= keys  # type: ignore[union-attr]
    added = csp_messages(console) - before
    assert not [line for line in added if osd_style_hash(page) not in line], "\n".join(added)

    # Something was drawn: the stage is not one flat colour.
    shot = Image.open(io.BytesIO(page.locator(".c-deep-zoom__stage").screenshot()))
    assert max(ImageStat.Stat(shot.convert("L")).stddev) > 20
    expect(page.locator("[data-deep-zoom-fallback]")).to_be_hidden()
    described = (region.get_attribute("aria-describedby") or "").split()
    assert f"deep-zoom-{zoomable.pid}-alt" in described


def stage_shot(page: Page) -> bytes:
    page.wait_for_timeout(1500)  # the zoom animation and the new tiles
    return page.locator(".c-deep-zoom__stage").screenshot()


def test_buttons_and_keyboard_drive_the_viewer(strict_page: Page, zoomable: HeritageObject) -> None:
    page = strict_page
    open_viewer_page(page, zoomable)
    expect(page.locator("[data-deep-zoom]")).to_have_attribute("data-deep-zoom-ready", "true")
    controls = page.locator("[data-deep-zoom-controls]")
    expect(controls).to_be_visible()
    whole = stage_shot(page)
    controls.locator("button[data-action=zoom-in]").focus()
    page.keyboard.press("Enter")
    assert stage_shot(page) != whole
    controls.locator("button[data-action=home]").click()
    # OpenSeadragon's canvas takes focus and zooms with the keyboard too.
    canvas = page.locator("[data-deep-zoom] .openseadragon-canvas").first
    canvas.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('openseadragon-canvas')")
    whole = stage_shot(page)
    page.keyboard.press("+")
    assert stage_shot(page) != whole
    # Sequence: the next image, its alt text as the description, the count announced.
    alt = page.locator("[data-deep-zoom-alt]")
    expect(alt).to_have_text("Voorkant: een waterval in het bos")
    controls.locator("button[data-action=next]").focus()
    page.keyboard.press("Enter")
    expect(alt).to_have_text("Achterkant")
    expect(page.locator("[data-deep-zoom-status]")).to_contain_text("2")


def test_without_javascript_the_thumbnails_are_plain_images(
    browser: Browser, live_server: Any, zoomable: HeritageObject
) -> None:
    context = browser.new_context(base_url=str(live_server.url), java_script_enabled=False)
    try:
        page = context.new_page()
        open_viewer_page(page, zoomable)
        images = page.locator("[data-deep-zoom-fallback] img")
        expect(images).to_have_count(2)
        assert images.first.get_attribute("alt") == "Voorkant: een waterval in het bos"
        src = images.first.get_attribute("src") or ""
        assert src.endswith("/full/400,300/0/default.jpg")
        assert page.request.get(src).status == 200
        expect(page.locator("[data-deep-zoom-controls]")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_viewer_page_has_no_axe_violations(page: Page, zoomable: HeritageObject, lang: str) -> None:
    open_viewer_page(page, zoomable, lang)
    expect(page.locator("[data-deep-zoom]")).to_have_attribute("data-deep-zoom-ready", "true")
    assert_no_axe_violations(page)
