""" "My neighbourhood": stored with the account when signed in, in a cookie otherwise,
and shown on the home page through {% my_neighbourhood_panel %}."""

from __future__ import annotations

import pytest
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.utils import translation

from reisgezel.neighbourhoods.models import HomeNeighbourhood
from reisgezel.neighbourhoods.preference import COOKIE_NAME
from reisgezel.neighbourhoods.tests.helpers import City
from tests.factories import make_place, make_user, published_event

pytestmark = pytest.mark.django_db

PANEL = Template("{% load neighbourhoods %}{% my_neighbourhood_panel %}")


def _panel(client: Client) -> str:
    """The panel as the home page would render it for this client's visitor."""
    request = RequestFactory().get("/nl/")
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    from django.contrib.auth.models import AnonymousUser

    from reisgezel.accounts.models import User

    session_user = client.session.get("_auth_user_id")
    request.user = User.objects.get(pk=session_user) if session_user else AnonymousUser()
    with translation.override("en"):
        return PANEL.render(RequestContext(request, {}))


def test_an_anonymous_visitor_keeps_the_choice_in_a_cookie(client: Client, city: City) -> None:
    response = client.post(
        "/nl/neighbourhoods/my-neighbourhood/",
        {"neighbourhood": "wyck", "next": "/nl/neighbourhoods/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/nl/neighbourhoods/"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "wyck"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert HomeNeighbourhood.objects.count() == 0
    page = client.get("/nl/neighbourhoods/wyck/")
    assert page.context["is_home"] is True


def test_a_signed_in_resident_keeps_the_choice_with_the_account(client: Client, city: City) -> None:
    user = make_user()
    client.force_login(user)
    response = client.post("/nl/neighbourhoods/my-neighbourhood/", {"neighbourhood": "malberg"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/neighbourhoods/malberg/"
    assert COOKIE_NAME not in response.cookies
    assert HomeNeighbourhood.objects.get(user=user).neighbourhood == city.malberg
    # A second choice replaces the first.
    client.post("/nl/neighbourhoods/my-neighbourhood/", {"neighbourhood": "wyck"})
    assert HomeNeighbourhood.objects.get(user=user).neighbourhood == city.wyck
    # Seen from another browser of the same resident.
    other = Client()
    other.force_login(user)
    assert other.get("/nl/neighbourhoods/wyck/").context["is_home"] is True


def test_forgetting_removes_the_choice(client: Client, city: City) -> None:
    user = make_user()
    client.force_login(user)
    client.post("/nl/neighbourhoods/my-neighbourhood/", {"neighbourhood": "wyck"})
    client.post("/nl/neighbourhoods/my-neighbourhood/", {"forget": "1"})
    assert not HomeNeighbourhood.objects.filter(user=user).exists()
    anonymous = Client()
    anonymous.post("/nl/neighbourhoods/my-neighbourhood/", {"neighbourhood": "wyck"})
    response = anonymous.post("/nl/neighbourhoods/my-neighbourhood/", {"forget": "1"})
    assert response.cookies[COOKIE_NAME].value == ""
    assert anonymous.get("/nl/neighbourhoods/wyck/").context["is_home"] is False


def test_an_unknown_buurt_is_refused_with_a_message(client: Client, city: City) -> None:
    response = client.post("/en/neighbourhoods/my-neighbourhood/", {"neighbourhood": "atlantis"})
    assert response.status_code == 400
    assert COOKIE_NAME not in response.cookies
    assert "Select a valid choice" in response.content.decode()
    empty = client.post("/en/neighbourhoods/my-neighbourhood/", {"neighbourhood": ""})
    assert "Choose a neighbourhood from the list." in empty.content.decode()


def test_next_never_leads_off_the_site(client: Client, city: City) -> None:
    response = client.post(
        "/nl/neighbourhoods/my-neighbourhood/",
        {"neighbourhood": "wyck", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/nl/neighbourhoods/wyck/"


def test_a_stale_cookie_reads_as_no_choice(client: Client, city: City) -> None:
    client.cookies[COOKIE_NAME] = "verdwenen-buurt"
    assert client.get("/nl/neighbourhoods/").context["home"] is None
    assert "Choose your neighbourhood" in _panel(client)


def test_the_home_panel_shows_the_chosen_buurt_and_its_events(client: Client, city: City) -> None:
    published_event(
        place_id=make_place(neighbourhood=city.wyck).pk,
        title={"nl": "Wijckse avond", "en": "Wyck evening"},
    )
    published_event(
        place_id=make_place(neighbourhood=city.malberg).pk,
        title={"nl": "Malbergfeest", "en": "Malberg party"},
    )
    assert "Wyck evening" not in _panel(client)
    client.post("/nl/neighbourhoods/my-neighbourhood/", {"neighbourhood": "wyck"})
    panel = _panel(client)
    assert "In your neighbourhood: Wyck" in panel
    assert "Wyck evening" in panel
    assert "Malberg party" not in panel


def test_the_signed_in_choice_wins_over_a_cookie(client: Client, city: City) -> None:
    client.cookies[COOKIE_NAME] = "malberg"
    user = make_user()
    HomeNeighbourhood.objects.create(user=user, neighbourhood=city.wyck)
    client.force_login(user)
    assert "In your neighbourhood: Wyck" in _panel(client)


def test_the_panel_without_a_request_renders_the_invitation() -> None:
    html = PANEL.render(Context({}))
    assert "Choose your neighbourhood" in html


def test_the_line_for_the_home_page_works_in_a_page_of_the_site(client: Client, city: City) -> None:
    """The line the agenda's home template gets, inside a page that extends base.html."""
    page = Template(
        '{% extends "base.html" %}{% block content %}'
        "{% load neighbourhoods %}{% my_neighbourhood_panel %}"
        "{% endblock %}"
    )
    request = RequestFactory().get("/en/")
    request.COOKIES[COOKIE_NAME] = "wyck"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        html = page.render(RequestContext(request, {}))
    assert "In your neighbourhood: Wyck" in html
    assert 'href="/en/neighbourhoods/wyck/"' in html


@pytest.mark.parametrize("cookie", ["wyck\x00", "wyck'--", "w y c k"])
def test_a_cookie_that_is_no_slug_reads_as_no_choice(city: City, cookie: str) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["reisgezel_buurt"] = cookie
    for path in ("/nl/", "/nl/neighbourhoods/", "/nl/neighbourhoods/wyck/"):
        assert client.get(path).status_code == 200, path
