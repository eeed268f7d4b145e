"""Rules a review found broken (each test failed before its fix): the organisation
admin holds the profile rules, a long "next" address, links from error summaries to
groups of check boxes, the organiser page's contact line, and a double-sent idea."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory

from reisgezel.accounts.models import Organisation
from reisgezel.initiatives.models import Initiative
from reisgezel.initiatives.tests.helpers import make_neighbourhood
from tests.factories import make_organisation, make_user, member_of

pytestmark = pytest.mark.django_db


def _admin_form(org: Organisation, **changes: object):
    request = RequestFactory().get("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[Organisation]
    form_class = model_admin.get_form(request, org, change=True)
    data = {k: v for k, v in model_to_dict(org).items() if v is not None}
    data["disciplines"] = []
    data["active_in"] = []
    for name in ("description", "audience", "members_note", "volunteers_note"):
        for lang in ("nl", "en", "de", "fr"):
            data[f"{name}_{lang}"] = ""
        data.pop(name, None)
    data.update(changes)
    return form_class(data=data, instance=org)


def test_admin_refuses_profile_text_in_english_only() -> None:
    org = make_organisation(age_min=None, age_max=None)
    form = _admin_form(org, audience_en="Everyone who likes to sing")
    assert not form.is_valid()  # docs: "The Dutch text is required when you give another language"


def test_admin_refuses_age_min_above_120() -> None:
    org = make_organisation(age_min=None, age_max=None)
    form = _admin_form(org, age_min="500")
    assert not form.is_valid()  # docs: ages 0-120
    assert "age_min" in form.errors
    assert _admin_form(org, audience_nl="Iedereen", age_min="12").is_valid()


def test_choosing_a_buurt_from_a_page_with_a_long_address_works() -> None:
    buurt = make_neighbourhood()
    # The form's hidden "next" is request.get_full_path() of the page it was on.
    page = "/en/neighbourhoods/malberg/?utm_campaign=" + "x" * 520
    response = Client().post(
        "/en/neighbourhoods/my-neighbourhood/", {"neighbourhood": buurt.slug, "next": page}
    )
    # Today: 400 with an empty "Please correct this:" box (the error is on the hidden field).
    assert response.status_code == 302
    assert response["Location"] == page  # back where the visitor was


def test_idea_form_error_on_help_needed_links_to_a_field() -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post(
        "/en/ideas/", {"title": "Koor", "description": "Een koor.", "help_needed": ["unicorn"]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#"' not in body
    assert not Initiative.objects.exists()


def test_profile_form_shows_an_error_on_the_neighbourhoods_next_to_the_field() -> None:
    org = make_organisation(slug="buurtkoor")
    client = Client()
    client.force_login(member_of(org))
    response = client.post(
        "/en/partners/buurtkoor/profile/",
        {"description_nl": "Wij zingen.", "active_in": ["424242"]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_active_in"' in body  # the summary links to this id ...
    assert 'id="id_active_in"' in body  # ... and the fieldset has it
    assert 'aria-describedby="id_active_in-error"' in body


def test_organiser_with_only_a_contact_person_is_not_said_to_have_no_contact() -> None:
    make_organisation(
        slug="koor", contact_person="Marij Smeets", website="", email="", phone="", home_place=None
    )
    body = Client().get("/en/organisers/koor/").content.decode()
    assert "Marij Smeets" in body
    assert "No contact details known." not in body


def test_a_double_submitted_idea_is_kept_once() -> None:
    client = Client()
    client.force_login(make_user())
    data = {"title": "Zomerfeest", "description": "Een straatfeest.", "help_needed": ["place"]}
    client.post("/en/ideas/", data)
    client.post("/en/ideas/", data)  # a second click on "Send my idea"
    assert Initiative.objects.count() == 1
    client.post("/en/ideas/", {**data, "title": "Winterfeest"})  # another idea is one
    assert Initiative.objects.count() == 2
