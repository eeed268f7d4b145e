"""Neighbourhoods from the real CBS files, and how places get theirs.

Uses /work/shared/data/geo (settings.SHARED_DATA_DIR): 7 wijken, 44 buurten, generalised
to about 100 m. Test points are chosen well inside their buurt, not near an edge.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from reisgezel.places.geo import read_areas
from reisgezel.places.management.commands.load_neighbourhoods import (
    DISTRICTS_FILE,
    NEIGHBOURHOODS_FILE,
    default_paths,
)
from reisgezel.places.models import District, Neighbourhood, Place
from reisgezel.places.services import (
    neighbourhood_for_point,
    place_create,
    place_find_similar,
    place_update,
    postcode_normalise,
)

pytestmark = pytest.mark.django_db

# The real files of the shared test data; the command's defaults are copies shipped with
# the code (places/data/), kept equal by test_the_shipped_boundaries_are_the_shared_files.
SHARED_GEO = Path(django_settings.SHARED_DATA_DIR) / "geo"
DISTRICTS_PATH, BUURTEN_PATH = SHARED_GEO / DISTRICTS_FILE, SHARED_GEO / NEIGHBOURHOODS_FILE

VRIJTHOF = (Decimal("50.8489"), Decimal("5.6889"))
CENTRE_CERAMIQUE = (Decimal("50.8455"), Decimal("5.7000"))  # Avenue Céramique 50
NHMM = (Decimal("50.8462"), Decimal("5.6873"))  # De Bosquetplein 7
OUTSIDE = (Decimal("50.9000"), Decimal("5.8500"))  # Valkenburg side, outside the municipality


def test_the_shipped_boundaries_are_the_shared_files() -> None:
    """A first installation loads the copies in places/data/ (no ../shared needed)."""
    shipped = default_paths()
    assert all(path.is_relative_to(Path(__file__).resolve().parents[1]) for path in shipped)
    assert [path.read_bytes() for path in shipped] == [
        DISTRICTS_PATH.read_bytes(),
        BUURTEN_PATH.read_bytes(),
    ]


@pytest.fixture
def buurten() -> None:
    call_command("load_neighbourhoods", stdout=StringIO())


def _place(name: str, point: tuple[Decimal | None, Decimal | None], **extra: Any) -> Place:
    values: dict[str, Any] = {
        "street": "Vrijthof 1",
        "postcode": "6211 LD",
        "latitude": point[0],
        "longitude": point[1],
    }
    values.update(extra)
    return place_create(name=name, **values)


def test_files_are_there() -> None:
    assert DISTRICTS_PATH.is_file(), DISTRICTS_PATH
    assert BUURTEN_PATH.is_file(), BUURTEN_PATH


def test_load_creates_7_districts_and_44_neighbourhoods_and_is_idempotent() -> None:
    out = StringIO()
    call_command("load_neighbourhoods", stdout=out)
    assert "7 districts and 44 neighbourhoods" in out.getvalue()
    first = {
        n.code: (n.pk, n.name, n.district.code)
        for n in Neighbourhood.objects.select_related("district")
    }
    call_command("load_neighbourhoods", stdout=StringIO())
    second = {
        n.code: (n.pk, n.name, n.district.code)
        for n in Neighbourhood.objects.select_related("district")
    }
    assert District.objects.count() == 7
    assert Neighbourhood.objects.count() == 44
    assert first == second  # same rows, same ids: nothing duplicated or recreated
    binnenstad = Neighbourhood.objects.get(code="BU09350000")
    assert binnenstad.name == "Binnenstad"
    assert binnenstad.slug == "binnenstad"
    assert binnenstad.district.code == "WK093500"
    assert set(District.objects.values_list("code", flat=True)) == {f"WK09350{i}" for i in range(7)}


def test_every_buurt_belongs_to_its_wijk() -> None:
    call_command("load_neighbourhoods", stdout=StringIO())
    for area in read_areas(
        BUURTEN_PATH, code_key="buurtcode", name_key="buurtnaam", parent_key="wijkcode"
    ):
        assert Neighbourhood.objects.get(code=area.code).district.code == area.parent_code


def test_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("load_neighbourhoods", districts=tmp_path / "nope.geojson", stdout=StringIO())
    assert District.objects.count() == 0


def test_explicit_paths_and_a_broken_file(tmp_path: Path) -> None:
    call_command(
        "load_neighbourhoods",
        districts=DISTRICTS_PATH,
        neighbourhoods=BUURTEN_PATH,
        stdout=StringIO(),
    )
    assert Neighbourhood.objects.count() == 44
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(CommandError, match="Could not load"):
        call_command(
            "load_neighbourhoods", districts=broken, neighbourhoods=BUURTEN_PATH, stdout=StringIO()
        )


def test_place_create_assigns_the_buurt_from_coordinates(buurten: None) -> None:
    vrijthof = _place("Vrijthof", VRIJTHOF)
    assert vrijthof.neighbourhood is not None
    assert vrijthof.neighbourhood.code == "BU09350000"
    assert vrijthof.neighbourhood.district.code == "WK093500"

    # CBS 2023 has no separate Céramique buurt: the Céramique quarter is part of the
    # buurt Wyck (BU09350006), which is what the real boundaries give.
    ceramique = _place(
        "Centre Céramique", CENTRE_CERAMIQUE, street="Avenue Céramique 50", postcode="6221 KV"
    )
    assert ceramique.neighbourhood is not None
    assert ceramique.neighbourhood.name == "Wyck"

    nhmm = _place(
        "Natuurhistorisch Museum Maastricht", NHMM, street="De Bosquetplein 7", postcode="6211 KJ"
    )
    assert nhmm.neighbourhood is not None
    assert nhmm.neighbourhood.name == "Jekerkwartier"

    assert _place("Ergens buiten de stad", OUTSIDE).neighbourhood is None
    assert _place("Zonder coördinaten", (None, None)).neighbourhood is None


def test_place_update_reassigns_the_buurt(buurten: None) -> None:
    place = _place("Rondreizend podium", VRIJTHOF)
    assert place.neighbourhood is not None and place.neighbourhood.name == "Binnenstad"
    place = place_update(place=place, latitude=NHMM[0], longitude=NHMM[1])
    assert place.neighbourhood is not None and place.neighbourhood.name == "Jekerkwartier"
    place.refresh_from_db()
    assert place.neighbourhood.name == "Jekerkwartier"
    place = place_update(place=place, latitude=OUTSIDE[0], longitude=OUTSIDE[1])
    assert place.neighbourhood is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6211kj", "6211 KJ"),
        ("6211 KJ", "6211 KJ"),
        (" 6221kv ", "6221 KV"),
        ("6211  rb", "6211 RB"),
    ],
)
def test_postcode_normalisation(raw: str, expected: str) -> None:
    assert postcode_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0211 KJ", "6211 K", "", "6211-KJ", "ABCD EF"])
def test_postcode_validation_is_readable(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        postcode_normalise(raw)
    message = " ".join(info.value.message_dict["postcode"])
    assert "is not a Dutch postcode" in message
    assert "6211 KJ" in message  # an example of what is expected


def test_place_create_normalises_and_rejects_postcodes(buurten: None) -> None:
    place = _place("Natuurhistorisch Museum Maastricht", NHMM, postcode="6211kj")
    assert place.postcode == "6211 KJ"
    with pytest.raises(ValidationError) as info:
        _place("Postcode kwijt", VRIJTHOF, postcode="12345")
    assert "“12345” is not a Dutch postcode" in " ".join(info.value.message_dict["postcode"])


def test_place_find_similar(buurten: None) -> None:
    theater = _place("Theater aan het Vrijthof", VRIJTHOF, street="Vrijthof 47", postcode="6211 LE")
    ceramique = _place(
        "Centre Céramique", CENTRE_CERAMIQUE, street="Avenue Céramique 50", postcode="6221 KV"
    )
    nhmm = _place(
        "Natuurhistorisch Museum Maastricht", NHMM, street="De Bosquetplein 7", postcode="6211 KJ"
    )

    assert place_find_similar(name="iets heel anders", postcode="6211kj") == [nhmm]
    assert place_find_similar(name="theater a/h vrijthof")[0] == theater
    assert ceramique in place_find_similar(name="centre ceramique")  # accents folded
    assert ceramique in place_find_similar(name="CÉRAMIQUE")
    assert place_find_similar(name="Muziekgieterij") == []
    # A malformed postcode is not an error here: it simply matches nothing by postcode.
    assert place_find_similar(name="", postcode="12345") == []


def test_representative_point_of_every_buurt_locates_to_it(buurten: None) -> None:
    areas = read_areas(
        BUURTEN_PATH, code_key="buurtcode", name_key="buurtnaam", parent_key="wijkcode"
    )
    shapes = {area.code: shape(area.geometry) for area in areas}

    @settings(
        max_examples=len(areas) * 2,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(code=st.sampled_from(sorted(shapes)))
    def check(code: str) -> None:
        point = shapes[code].representative_point()
        found = neighbourhood_for_point(point.y, point.x)
        assert found is not None, code
        assert found.code == code

    check()


def test_random_interior_points_locate_to_their_buurt(buurten: None) -> None:
    areas = read_areas(
        BUURTEN_PATH, code_key="buurtcode", name_key="buurtnaam", parent_key="wijkcode"
    )
    shapes = {area.code: shape(area.geometry) for area in areas}

    @settings(max_examples=150, deadline=None)
    @given(code=st.sampled_from(sorted(shapes)), fx=st.floats(0, 1), fy=st.floats(0, 1))
    def check(code: str, fx: float, fy: float) -> None:
        geom = shapes[code]
        minx, miny, maxx, maxy = geom.bounds
        point = Point(minx + fx * (maxx - minx), miny + fy * (maxy - miny))
        # The buurten tile the city without overlap: a point strictly inside one
        # (not on a shared edge) lies in no other.
        assume(geom.contains(point) and geom.boundary.distance(point) > 1e-7)
        found = neighbourhood_for_point(point.y, point.x)
        assert found is not None and found.code == code

    check()
