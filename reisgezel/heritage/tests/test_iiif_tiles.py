"""Static IIIF Image API 3.0 level-0 tiles: info.json as the spec requires, and every
file that info.json promises exists on disk at the right pixel size, the right way up
(what iiif-validator checks for level 0, done here on the real files)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import pyvips
from PIL import Image

from reisgezel.heritage.iiif.tiles import (
    build_tiles,
    listed_sizes,
    read_info,
    service_dir,
    thumbnail_size,
    thumbnail_url,
)
from reisgezel.heritage.tests.media_fixtures import SITE, looks_upright, media_dirs, photo

__all__ = ["media_dirs"]
pytestmark = pytest.mark.usefixtures("media_dirs")

KEY = "0123456789abcdef0123456789abcdef"
REQUIRED = {"@context", "id", "type", "protocol", "profile", "width", "height"}


def implied_files(info: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Every image URL (relative to the service id) a level-0 client may ask for, in the
    Image API's canonical form, with the pixel size it must return."""
    width, height = info["width"], info["height"]
    files: dict[str, tuple[int, int]] = {"full/max/0/default.jpg": (width, height)}
    for size in info.get("sizes", []):
        files[f"full/{size['width']},{size['height']}/0/default.jpg"] = (
            size["width"],
            size["height"],
        )
    for tile in info["tiles"]:
        tw, th = tile["width"], tile.get("height", tile["width"])
        for factor in tile["scaleFactors"]:
            for y in range(0, height, th * factor):
                for x in range(0, width, tw * factor):
                    rw, rh = min(tw * factor, width - x), min(th * factor, height - y)
                    out = (math.ceil(rw / factor), math.ceil(rh / factor))
                    whole = (x, y, rw, rh) == (0, 0, width, height)
                    region = "full" if whole else f"{x},{y},{rw},{rh}"
                    size = "max" if whole and out == (width, height) else f"{out[0]},{out[1]}"
                    files[f"{region}/{size}/0/default.jpg"] = out
    return files


def check_service(folder: Path) -> dict[str, Any]:
    info: dict[str, Any] = json.loads((folder / "info.json").read_text())
    assert set(info) >= REQUIRED
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert (info["type"], info["protocol"], info["profile"]) == (
        "ImageService3",
        "http://iiif.io/api/image",
        "level0",
    )
    assert isinstance(info["width"], int) and isinstance(info["height"], int)
    for tile in info["tiles"]:
        assert tile["width"] > 0 and tile["scaleFactors"] == sorted(set(tile["scaleFactors"]))
    for size in info["sizes"]:
        assert 0 < size["width"] <= info["width"] and 0 < size["height"] <= info["height"]
    for name, expected in implied_files(info).items():
        path = folder / name
        assert path.is_file(), f"{name} is promised by info.json but missing"
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", expected), name
    return info


@pytest.mark.parametrize("tile_size", [512, 256, 128])
def test_every_promised_tile_and_size_exists_at_its_size(settings: Any, tile_size: int) -> None:
    settings.HERITAGE = {**settings.HERITAGE, "TILE_SIZE": tile_size}
    info = build_tiles(photo(6), KEY)
    on_disk = check_service(service_dir(KEY))
    assert info == on_disk
    assert info["id"] == f"{SITE}/iiif/image/{KEY}" and not info["id"].endswith("/")
    assert info["tiles"][0]["width"] == tile_size
    # Down to one tile: 600 px needs factors 1..4 at 256 px, 1..8 at 128 px.
    assert max(info["tiles"][0]["scaleFactors"]) == {512: 2, 256: 4, 128: 8}[tile_size]


def test_tiles_put_together_show_the_photo_upright(settings: Any) -> None:
    settings.HERITAGE = {**settings.HERITAGE, "TILE_SIZE": 256}
    info = build_tiles(photo(5), KEY)  # stored transposed: orientation 5
    canvas = Image.new("RGB", (info["width"], info["height"]))
    tiles = 0
    for name in implied_files(info):
        region = name.split("/")[0]
        if name.split("/")[1] == "max" or region == "full":
            continue
        x, y, w, h = (int(v) for v in region.split(","))
        if (w, h) == tuple(int(v) for v in name.split("/")[1].split(",")):  # scale 1
            canvas.paste(Image.open(service_dir(KEY) / name), (x, y))
            tiles += 1
    assert tiles == 6  # 3 x 2 tiles of 256 px cover 600 x 450
    assert looks_upright(canvas)


def test_a_small_image_is_one_tile_and_its_own_thumbnail() -> None:
    out = io.BytesIO()
    Image.open(io.BytesIO(photo(1))).resize((300, 225)).save(out, format="JPEG")
    info = build_tiles(out.getvalue(), KEY)
    assert info["tiles"][0]["scaleFactors"] == [1]
    check_service(service_dir(KEY))
    assert thumbnail_size(300, 225) is None
    assert thumbnail_url(KEY, 300, 225) == f"/iiif/image/{KEY}/full/max/0/default.jpg"


def test_the_thumbnail_is_listed_and_about_400_pixels_wide() -> None:
    info = build_tiles(photo(2), KEY)
    assert {"width": 400, "height": 300} in info["sizes"]
    url = thumbnail_url(KEY, 600, 450)
    assert url == f"/iiif/image/{KEY}/full/400,300/0/default.jpg"
    with Image.open(service_dir(KEY) / url.split(f"{KEY}/")[1]) as thumb:
        assert thumb.size == (400, 300) and looks_upright(thumb)


def test_tiles_published_on_another_host_get_ids_there(settings: Any) -> None:
    settings.IIIF_URL = "https://tiles.example.org/iiif/"
    info = build_tiles(photo(1), KEY)
    assert info["id"] == f"https://tiles.example.org/iiif/{KEY}"
    assert thumbnail_url(KEY, 600, 450).startswith(f"https://tiles.example.org/iiif/{KEY}/full/")


def test_listed_sizes_stay_small_for_large_images() -> None:
    sizes = listed_sizes(10000, 7500, [1, 2, 4, 8, 16, 32])
    assert max(s.width for s in sizes) <= 2048
    assert sizes[0].width == math.ceil(10000 / 32) and any(s.width == 400 for s in sizes)


def test_rebuilding_is_atomic_and_idempotent(settings: Any) -> None:
    first = build_tiles(photo(1), KEY)
    names = sorted(p.relative_to(service_dir(KEY)) for p in service_dir(KEY).rglob("*"))
    again = build_tiles(photo(1), KEY)
    assert first == again
    assert names == sorted(p.relative_to(service_dir(KEY)) for p in service_dir(KEY).rglob("*"))
    root = Path(settings.IIIF_ROOT)
    assert [p.name for p in root.iterdir()] == [KEY]  # no temporary folder left behind
    with pytest.raises(pyvips.Error):
        build_tiles(b"not an image", KEY)
    assert read_info(KEY) == first  # a failed build leaves the earlier tiles in place
    assert [p.name for p in root.iterdir()] == [KEY]


# --- Serving the files (development, tests, and deployments without a web server) ------


def _get(client: Any, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response["Access-Control-Allow-Origin"] == "*", url
    return response


@pytest.mark.django_db
def test_info_json_and_tiles_are_served_with_cors(client: Any) -> None:
    build_tiles(photo(1), KEY)
    base = f"/iiif/image/{KEY}"
    plain = _get(client, f"{base}/info.json")
    assert plain.status_code == 200 and plain["Content-Type"] == "application/json"
    assert "Accept" in plain["Vary"]
    assert json.loads(b"".join(plain.streaming_content))["id"] == f"{SITE}{base}"
    linked = _get(client, f"{base}/info.json", Accept="application/ld+json")
    assert linked["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    )
    tile = _get(client, f"{base}/0,0,512,450/512,450/0/default.jpg")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(tile.streaming_content))).size == (512, 450)
    redirect = _get(client, base)
    assert redirect.status_code == 303 and redirect["Location"] == f"{base}/info.json"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{KEY}/full/!400,300/0/default.jpg", 400),  # level 1 syntax
        (f"{KEY}/full/max/0/default.png", 400),  # another format
        (f"{KEY}/full/max/90/default.jpg", 400),  # rotation
        (f"{KEY}/../../../etc/passwd", 400),
        (f"{KEY}/%2e%2e/%2e%2e/secret", 400),
        (f"{KEY}/info.json%00", 400),
        (f"{KEY}/full/123,456/0/default.jpg", 404),  # a size it does not list
        ("0123456789ABCDEF0123456789ABCDEF/info.json", 404),
        ("..%2F..%2Fsettings.py", 404),
        (".tiling-x/info.json", 404),
        ("not-a-key", 404),
    ],
)
def test_malformed_image_requests_get_a_4xx(client: Any, path: str, status: int) -> None:
    build_tiles(photo(1), KEY)
    response = _get(client, f"/iiif/image/{path}")
    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.django_db
def test_django_serves_tiles_only_where_no_web_server_does(client: Any, settings: Any) -> None:
    build_tiles(photo(1), KEY)
    settings.DEBUG = settings.TESTING = settings.IIIF_SERVE = False
    assert _get(client, f"/iiif/image/{KEY}/info.json").status_code == 404
    settings.IIIF_SERVE = True
    assert _get(client, f"/iiif/image/{KEY}/info.json").status_code == 200
