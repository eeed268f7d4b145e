"""The heritage pages through the test client: every page in Dutch and English, the
object page's facts for non-specialists, hidden (404) and deleted (410) objects,
exhibits with Dutch fallback, and malformed input answered with a 400 and a message."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from reisgezel.heritage.models import TileState
from reisgezel.heritage.tests.test_pages_world import World, add_photo, heritage_world, page
from reisgezel.heritage.uris import object_uri

pytestmark = pytest.mark.django_db
__all__ = ["heritage_world"]

LANGUAGES = ["nl", "en"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def get(client: Client, url: str, status: int = 200, **headers: Any) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_renders_in_the_language(
    client: Client, heritage_world: World, lang: str
) -> None:
    world = heritage_world
    urls = [
        page("heritage:search", lang),
        page("heritage:search", lang) + "?q=bord&material=aardewerk&year_from=1800&sort=title",
        page("heritage:object", lang, pid=world.plate.pid),
        page("heritage:object", lang, pid=world.fossil.pid),
        page("heritage:exhibits", lang),
        page("heritage:exhibit", lang, slug=world.exhibit.slug),
        page("heritage:dictionary", lang),
        page("heritage:dictionary", lang) + "?q=huis",
        page("heritage:dictionary", lang) + "?letter=E",
        page("heritage:word", lang, slug="hoes"),
    ]
    for url in urls:
        html = get(client, url)
        assert f'<html lang="{lang}">' in html, url
        assert "heritage.css" in html, url


def test_object_page_tells_the_facts_in_plain_language(
    client: Client, heritage_world: World
) -> None:
    world = heritage_world
    html = get(client, page("heritage:object", "en", pid=world.plate.pid))
    text = text_of(html)
    assert "Plate with Chinese decoration" in text
    # Makers with their roles and life dates, and a link to their other works.
    assert "Petrus Regout &amp; Co (Sphinx) (1834-1969), manufacturer" in text
    assert "Petrus Regout (1801-1878), designer" in text
    assert "?maker=sphinx" in html
    # Date with its range, material, technique, size, factory mark, provenance, credit.
    assert "c. 1850-1870" in text and "somewhere between 1845 and 1875" in text
    assert "earthenware" in text and "transfer printing" in text
    assert "Diameter 24.5 cm" in text
    assert "Factory mark: " in text and "P. REGOUT MAASTRICHT" in text
    assert "Schenking van de familie Regout, 1950." in text  # Dutch fallback...
    assert re.search(r'<dd lang="nl">Schenking', html)  # ...marked as Dutch
    assert "Gift of the Regout family" in text
    # Rights with a human label, a link, and a download of the reusable image.
    assert (
        'href="http://creativecommons.org/publicdomain/zero/1.0/" rel="license">Public domain (CC0)'
        in html
    )
    # Stored upright (the photo carried EXIF orientation 6).
    assert "Download image 1 (600 × 450 pixels)" in text  # noqa: RUF001
    # Citation with the persistent URI; IIIF manifest and JSON-LD links.
    assert object_uri(world.plate.pid) in text
    assert (
        "Petrus Regout &amp; Co (Sphinx), Petrus Regout. Plate with Chinese decoration. c" in text
    )
    assert f'href="/iiif/object/{world.plate.pid}/manifest.json"' in html
    assert (
        f'<link rel="alternate" type="application/ld+json" href="/id/object/{world.plate.pid}">'
        in html
    )
    # The exhibit it appears in, and related objects (same maker, same type).
    assert f'href="{page("heritage:exhibit", "en", slug="sphinx")}"' in html
    assert "By the same maker" in text and "Tile with" not in text  # no English title: Dutch
    assert "Tegel met molen" in text
    assert world.hidden.pid not in html  # the hidden plate is by the same maker


def test_a_displayed_date_in_another_language_is_marked_with_it(
    client: Client, heritage_world: World
) -> None:
    plate = heritage_world.plate
    plate.date_display, plate.date_display_language = "tweede helft 19e eeuw", "nl"
    plate.save()
    marked = '<span lang="nl">tweede helft 19e eeuw</span>'

    english = get(client, page("heritage:object", "en", pid=plate.pid))
    dutch = get(client, page("heritage:object", "nl", pid=plate.pid))
    search = get(client, page("heritage:search", "en"))

    assert english.count(marked) == 2  # the kicker under the title and the facts
    assert "tweede helft 19e eeuw" in dutch and marked not in dutch
    assert marked in search  # the object's card


def test_image_without_reuse_rights_has_no_download(client: Client, heritage_world: World) -> None:
    html = get(client, page("heritage:object", "en", pid=heritage_world.vase.pid))
    assert "In copyright" in html
    assert "Ask the rights holder before you reuse this." in html
    assert "Download image" not in html


def test_a_restricted_image_is_never_linked_as_its_stored_original(
    client: Client, heritage_world: World
) -> None:
    vase = heritage_world.vase
    photo = vase.media.get()
    # Before its tiles are made the page shows a notice, not the original file...
    vase.media.update(tile_state=TileState.PENDING)
    html = get(client, page("heritage:object", "en", pid=vase.pid))
    assert photo.file.url not in html
    assert "This image is being prepared for viewing" in html
    document = json.loads(get(client, f"/id/object/{vase.pid}", Accept="application/ld+json"))
    assert photo.file.url not in json.dumps(document)
    # ...while an image anyone may reuse is shown (and offered) as stored.
    plate_photo = heritage_world.plate.media.get()
    heritage_world.plate.media.update(tile_state=TileState.PENDING)
    html = get(client, page("heritage:object", "en", pid=heritage_world.plate.pid))
    assert f'<img src="{plate_photo.file.url}"' in html
    # Once the tiles are there it is seen in the deep-zoom viewer, still without the file.
    vase.media.update(tile_state=TileState.READY)
    html = get(client, page("heritage:object", "en", pid=vase.pid))
    assert "data-deep-zoom" in html and photo.file.url not in html


def test_specimen_page_hides_a_sensitive_site(client: Client, heritage_world: World) -> None:
    world = heritage_world
    text = text_of(get(client, page("heritage:object", "en", pid=world.fossil.pid)))
    assert "Mosasaurus hoffmanni Mantell, 1829" in text
    assert "Maastricht Formation" in text and "Maastrichtian" in text
    assert "ENCI-groeve, Sint-Pietersberg, Maastricht" in text
    assert "Latitude 50.824100, longitude 5.686900 (within 100 m)" in text
    assert "Fossil specimen" in text and "1998-10" in text

    html = get(client, page("heritage:object", "en", pid=world.sensitive.pid))
    text = text_of(html)
    assert "holotype" in text
    assert "Rooth" not in html and "Bemelen" not in html  # the site description is withheld
    assert "50.843210" not in html and "Latitude 50.8, longitude 5.8 (within 10000 m)" in text
    assert "The exact site is not published" in text


def test_hidden_object_is_not_found_and_deleted_one_is_gone(
    client: Client, heritage_world: World
) -> None:
    world = heritage_world
    get(client, page("heritage:object", "nl", pid=world.hidden.pid), status=404)
    get(client, page("heritage:object", "nl", pid="no-such-object"), status=404)
    html = get(client, page("heritage:object", "en", pid=world.deleted_pid), status=410)
    assert "This object has been removed" in html
    assert world.deleted_pid in html


def test_exhibit_shows_public_objects_with_captions_and_falls_back_to_dutch(
    client: Client, heritage_world: World
) -> None:
    world = heritage_world
    html = get(client, page("heritage:exhibit", "en", slug=world.exhibit.slug))
    text = text_of(html)
    assert "The story of the Sphinx" in text and "Printed decoration" in text
    # Texts only in Dutch are shown in Dutch, marked as such.
    assert re.search(r'<div class="l-prose c-exhibit__intro" lang="nl">', html)
    assert '<p class="c-exhibit__caption" lang="nl">Een vroeg bord.</p>' in html
    assert page("heritage:object", "en", pid=world.plate.pid) in html
    assert page("heritage:object", "en", pid=world.tile.pid) in html
    assert world.hidden.pid not in html
    listing = get(client, page("heritage:exhibits", "en"))
    assert "The story of the Sphinx" in listing and "Nog niet klaar" not in listing
    get(client, page("heritage:exhibit", "en", slug=world.hidden_exhibit.slug), status=404)


def test_word_page_has_pronunciation_audio_meanings_and_relations(
    client: Client, heritage_world: World
) -> None:
    world = heritage_world
    html = get(client, page("heritage:word", "en", slug="sjiek"))
    assert '<h1 id="word-title" lang="li">sjiek</h1>' in html
    assert "/ʃiːk/" in html  # noqa: RUF001 (IPA length mark)
    assert re.search(r'<audio controls preload="none" src="/media/heritage/[^"]+\.mp3"', html)
    assert "smart, posh" in html and '<span lang="li">sjiëk</span>' in html

    html = get(client, page("heritage:word", "en", slug="hoes"))
    assert '<p class="c-example__text" lang="li">Ich gaon nao hoes.</p>' in html
    assert "I am going home." in html
    assert page("heritage:object", "en", pid=world.plate.pid) in html
    assert world.hidden.pid not in html  # related, but hidden
    assert page("heritage:exhibit", "en", slug="sphinx") in html
    assert "Nog niet klaar" not in html
    get(client, page("heritage:word", "en", slug="geheim"), status=404)


def test_dictionary_browses_by_folded_first_letter(client: Client, heritage_world: World) -> None:
    html = get(client, page("heritage:dictionary", "en") + "?letter=E")
    assert "èèrpel" in html and "hoes" not in text_of(html).split("Words starting with E")[1]
    html = get(client, page("heritage:dictionary", "en"))
    letters = re.findall(r'href="\?letter=([^"]+)"', html)
    assert letters == ["E", "H", "S", "V"]  # the hidden "geheimwoord" adds no G


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year_from=abc", "Enter a whole number."),
        ("?year_from=1900&year_to=1800", "The end year must not be before the start year."),
        ("?sort=cheapest", "Select a valid choice."),
        ("?after=not-a-cursor", "This page link is not valid (any more)."),
        ("?collection=%3Cscript%3E", "Select a valid choice."),
        ("?year_to=100000", "Ensure this value is less than or equal to 9999."),
    ],
)
def test_bad_filters_get_a_400_with_the_message(
    client: Client, heritage_world: World, query: str, message: str
) -> None:
    html = get(client, page("heritage:search", "en") + query, status=400)
    assert message in html
    assert 'role="alert"' in html
    # The filters that were fine still search: the page is useful, not an error page.
    assert "objects</h2>" in html


def test_bad_dictionary_input_gets_a_400(client: Client, heritage_world: World) -> None:
    html = get(client, page("heritage:dictionary", "en") + "?letter=%C3%9F%3Cb%3E", status=400)
    assert "Select a valid choice." in html
    get(client, page("heritage:dictionary", "en") + "?direction=sideways", status=400)


def test_htmx_request_gets_the_results_and_filters_only(
    client: Client, heritage_world: World
) -> None:
    url = page("heritage:search", "en") + "?material=porselein"
    html = get(client, url, HX_Request="true")
    assert "<html" not in html
    assert "2 objects" in html
    assert 'id="collection-filter-fields" class="c-form" hx-swap-oob="true"' in html
    assert 'id="collection-status" hx-swap-oob="innerHTML"' in html
    full = client.get(url)
    assert "HX-Request" in full["Vary"]


def test_images_with_tiles_get_a_thumbnail_and_the_deep_zoom_viewer(
    client: Client, heritage_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world = heritage_world
    with django_capture_on_commit_callbacks(execute=True):  # the tiling task runs
        media = add_photo(world.tile, orientation=5)
    media.refresh_from_db()
    assert media.tile_state == "ready"
    html = get(client, page("heritage:search", "en") + "?q=molen")
    thumbnail = re.search(
        rf'<img src="(/iiif/image/{media.key.hex}/[^"]+)" alt="Photo of the object"', html
    )
    assert thumbnail is not None
    assert client.get(thumbnail.group(1)).status_code == 200  # a real file
    html = get(client, page("heritage:object", "en", pid=world.tile.pid))
    assert "data-deep-zoom" in html
    assert f'data-manifest="/iiif/object/{world.tile.pid}/manifest.json"' in html
    assert "Download image 1" in html
    # Images without tiles yet: a neutral tile in the grid, the stored file on the page.
    html = get(client, page("heritage:search", "en") + "?q=chinese")
    assert 'c-object-card__placeholder">Image</span>' in html
