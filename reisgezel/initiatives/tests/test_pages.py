"""The pages: login for submission, initiators see only their own ideas and never the
staff notes, staff pages only for house staff, triage filters."""

from __future__ import annotations

import pytest
from django.test import Client

from reisgezel.initiatives.models import Initiative, InitiativeNote, InitiativeState
from reisgezel.initiatives.services import (
    initiative_assign_coach,
    initiative_change_state,
    initiative_note_add,
)
from reisgezel.initiatives.tests.helpers import (
    house_member,
    make_idea,
    make_neighbourhood,
    staff_user,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db
S = InitiativeState
SECRET_NOTE = "Vertrouwelijk: subsidie nog niet rond"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_anonymous_visitors_get_a_login_link_instead_of_the_form(client: Client) -> None:
    response = client.get("/en/ideas/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/en/accounts/login/?next=%2Fen%2Fideas%2F" in body
    assert "<textarea" not in body
    assert client.post("/en/ideas/", {"title": "x", "description": "y"}).status_code == 200
    assert not Initiative.objects.exists()


def test_a_resident_submits_an_idea_and_sees_it_in_my_ideas() -> None:
    user, buurt = make_user(), make_neighbourhood()
    client = client_for(user)
    response = client.post(
        "/en/ideas/",
        {
            "title": "Buurtkoor Malberg",
            "description": "Een koor voor iedereen.",
            "help_needed": ["place", "advice"],
            "neighbourhood": buurt.pk,
        },
    )
    idea = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/ideas/mine/{idea.pk}/"
    assert (idea.initiator, idea.neighbourhood, idea.help_needed) == (
        user,
        buurt,
        ["place", "advice"],
    )
    assert "Buurtkoor Malberg" in client.get("/en/ideas/mine/").content.decode()


def test_the_form_shows_errors_linked_to_the_fields() -> None:
    response = client_for(make_user()).post("/en/ideas/", {"title": "", "description": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_title"' in body and 'href="#id_description"' in body


def test_an_initiator_sees_only_their_own_ideas() -> None:
    mine, theirs = make_idea(title="Mijn idee"), make_idea(title="Idee van een ander")
    client = client_for(mine.initiator)
    listing = client.get("/en/ideas/mine/").content.decode()
    assert "Mijn idee" in listing and "Idee van een ander" not in listing
    assert client.get(f"/en/ideas/mine/{mine.pk}/").status_code == 200
    assert client.get(f"/en/ideas/mine/{theirs.pk}/").status_code == 404
    assert Client().get(f"/en/ideas/mine/{mine.pk}/").status_code == 302  # to the login


def test_the_initiator_sees_state_history_and_reason_but_never_the_notes() -> None:
    idea, staff = make_idea(), staff_user()
    initiative_note_add(actor=staff, initiative=idea, text=SECRET_NOTE)
    initiative_change_state(actor=staff, initiative=idea, to_state=S.IN_CONVERSATION)
    initiative_note_add(actor=staff, initiative=idea, text=SECRET_NOTE + " (2)")
    initiative_change_state(
        actor=staff, initiative=idea, to_state=S.DECLINED, reason="Er is al zo'n feest."
    )
    client = client_for(idea.initiator)
    for url in ("/en/ideas/mine/", f"/en/ideas/mine/{idea.pk}/", "/nl/ideas/mine/"):
        body = client.get(url).content.decode()
        assert SECRET_NOTE not in body
    body = client.get(f"/en/ideas/mine/{idea.pk}/").content.decode()
    assert "Declined" in body and "In conversation" in body
    assert "Er is al zo&#x27;n feest." in body
    assert InitiativeNote.objects.count() == 2


def test_a_staff_member_who_is_the_initiator_sees_no_notes_on_the_initiators_page() -> None:
    staff = staff_user()
    idea = make_idea(staff)
    initiative_note_add(actor=house_member(), initiative=idea, text=SECRET_NOTE)
    body = client_for(staff).get(f"/en/ideas/mine/{idea.pk}/").content.decode()
    assert SECRET_NOTE not in body
    assert SECRET_NOTE in client_for(staff).get(f"/en/ideas/triage/{idea.pk}/").content.decode()


def test_staff_pages_answer_403_to_residents_and_initiators() -> None:
    idea = make_idea()
    for user in (make_user(), idea.initiator):
        client = client_for(user)
        assert client.get("/en/ideas/triage/").status_code == 403
        assert client.get(f"/en/ideas/triage/{idea.pk}/").status_code == 403
        response = client.post(f"/en/ideas/triage/{idea.pk}/note/", {"text": "hi"})
        assert response.status_code == 403
    assert not InitiativeNote.objects.exists()


def test_staff_see_the_notes_and_triage_on_the_staff_page() -> None:
    idea, staff = make_idea(), house_member()
    coach = staff_user(username="coach-anna")
    client = client_for(staff)
    assert (
        client.post(f"/en/ideas/triage/{idea.pk}/note/", {"text": SECRET_NOTE}).status_code == 302
    )
    response = client.post(f"/en/ideas/triage/{idea.pk}/coach/", {"coach": coach.pk})
    assert response.status_code == 302
    response = client.post(
        f"/en/ideas/triage/{idea.pk}/state/", {"to_state": S.DECLINED, "reason": ""}
    )
    assert response.status_code == 400
    assert "Tell the initiator why" in response.content.decode()
    response = client.post(
        f"/en/ideas/triage/{idea.pk}/state/", {"to_state": S.IN_CONVERSATION, "reason": ""}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.state, idea.coach) == (S.IN_CONVERSATION, coach)
    body = client.get(f"/en/ideas/triage/{idea.pk}/").content.decode()
    assert SECRET_NOTE in body and "coach-anna" in body


def test_the_triage_list_filters_on_state_coach_and_neighbourhood() -> None:
    staff, buurt = staff_user(), make_neighbourhood()
    coach = staff_user(username="coach-bram")
    a = make_idea(title="Idee A", neighbourhood=buurt)
    b = make_idea(title="Idee B")
    c = make_idea(title="Idee C")
    initiative_change_state(actor=staff, initiative=b, to_state=S.IN_CONVERSATION)
    initiative_assign_coach(actor=staff, initiative=c, coach=coach)
    client = client_for(staff)

    def titles(query: str) -> set[str]:
        body = client.get("/en/ideas/triage/" + query).content.decode()
        return {t for t in ("Idee A", "Idee B", "Idee C") if t in body}

    assert titles("") == {"Idee A", "Idee B", "Idee C"}
    assert titles(f"?state={S.IN_CONVERSATION}") == {"Idee B"}
    assert titles(f"?coach={coach.pk}") == {"Idee C"}
    assert titles("?coach=none") == {"Idee A", "Idee B"}
    assert titles(f"?neighbourhood={buurt.pk}") == {"Idee A"}
    assert client.get("/en/ideas/triage/?state=nonsense").status_code == 400
    assert a.pk  # made for the filter


def test_a_finished_idea_offers_no_state_change() -> None:
    idea, staff = make_idea(), staff_user()
    initiative_change_state(actor=staff, initiative=idea, to_state=S.DECLINED, reason="Nee.")
    body = client_for(staff).get(f"/en/ideas/triage/{idea.pk}/").content.decode()
    assert "its state cannot change any more" in body


def test_the_admin_lists_and_opens_initiatives_for_staff() -> None:
    idea = make_idea()
    initiative_note_add(actor=staff_user(), initiative=idea, text=SECRET_NOTE)
    admin = client_for(make_user(is_staff=True, is_superuser=True))
    listing = admin.get("/en/admin/initiatives/initiative/?state=new")
    assert listing.status_code == 200 and idea.title in listing.content.decode()
    assert admin.get(f"/en/admin/initiatives/initiative/?q={idea.pk}").status_code == 200
    page = admin.get(f"/en/admin/initiatives/initiative/{idea.pk}/change/")
    assert page.status_code == 200 and SECRET_NOTE in page.content.decode()


def test_the_triage_list_pages_keep_the_filters() -> None:
    staff = staff_user()
    for n in range(51):
        make_idea(title=f"Idee {n}")
    body = client_for(staff).get("/en/ideas/triage/?state=new").content.decode()
    assert "?state=new&amp;page=2" in body


def test_the_admin_search_takes_words_without_failing() -> None:
    admin = client_for(make_user(is_staff=True, is_superuser=True))
    assert admin.get("/en/admin/initiatives/initiative/?q=zomerfeest").status_code == 200
