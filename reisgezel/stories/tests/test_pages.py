"""The pages: submission (errors, honeypot, rate limits, uploads), e-mail links, my
stories (withdraw, edit, export, erase), moderation, themes and the map."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reisgezel.stories.models import Story, StoryReport, StoryState, ThemedCollection
from reisgezel.stories.services import RATE_LIMIT, Uploads, story_token, story_withdraw
from reisgezel.stories.tests.conftest import published, submit
from reisgezel.stories.tests.test_media import SAMPLES, photo_with_gps
from tests.factories import make_user, moderator

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Carnaval in Wyck",
        "text": "Met carnaval liep de hele straat in optocht naar de Maas.",
        "language": "nl",
        "about": "own-life",
        "licence": "cc-by-4.0",
        "people_consent": "on",
        "display_name": "Mia",
        "email": "mia@example.org",
    }
    data.update(overrides)
    return data


def test_the_form_shows_every_part_in_dutch_and_english(client: Client) -> None:
    nl = client.get("/nl/stories/tell/").content.decode()
    assert "Laat dit veld leeg" in nl or "Leave this field empty" in nl
    for lang in ("nl", "en"):
        page = client.get(f"/{lang}/stories/tell/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'enctype="multipart/form-data"' in html
        assert (
            'name="photos"' in html and 'name="audio"' in html and 'name="guardian_email"' in html
        )


def test_a_story_without_account_is_sent_and_the_link_confirms_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/nl/stories/tell/",
            form_data(photos=SimpleUploadedFile("x.jpg", photo_with_gps(), "image/jpeg")),
        )
    assert response.status_code == 302 and response["Location"].endswith("/stories/tell/thanks/")
    story = Story.objects.get()
    assert story.state == StoryState.AWAITING_CONFIRMATION and story.media.count() == 1
    link = re.search(r"http://\S+/confirm/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    # A GET (a mail scanner following the link) changes nothing; the button does.
    assert client.get("/" + path).status_code == 200
    story.refresh_from_db()
    assert story.state == StoryState.AWAITING_CONFIRMATION
    client.post("/" + path)
    story.refresh_from_db()
    assert story.state == StoryState.PENDING


def test_errors_are_listed_and_linked_to_their_fields(client: Client) -> None:
    response = client.post("/en/stories/tell/", form_data(title="", people_consent="", email=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert (
        'href="#id_title"' in html
        and 'href="#id_people_consent"' in html
        and 'href="#id_email"' in html
    )
    assert not Story.objects.exists()


def test_an_upload_that_is_not_an_image_is_an_error_not_a_crash(client: Client) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"not really a photo", "image/jpeg")
    response = client.post("/en/stories/tell/", form_data(photos=fake))
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    assert not Story.objects.exists()


def test_the_honeypot_keeps_nothing(client: Client) -> None:
    response = client.post("/nl/stories/tell/", form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Story.objects.exists()


def test_rate_limit_per_ip_address(client: Client) -> None:
    for n in range(RATE_LIMIT):
        response = client.post("/en/stories/tell/", form_data(email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = client.post("/en/stories/tell/", form_data(email="another@example.org"))
    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert Story.objects.count() == RATE_LIMIT


def test_rate_limit_per_email_address(client: Client) -> None:
    for n in range(RATE_LIMIT):
        client.post("/en/stories/tell/", form_data(), REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post("/en/stories/tell/", form_data(), REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert Story.objects.count() == RATE_LIMIT


def test_the_withdraw_link_works_without_logging_in(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    story = published(django_capture_on_commit_callbacks)
    url = f"/nl/stories/withdraw/{story_token(story, 'manage')}/"
    assert client.get(url).status_code == 200
    client.post(url)
    story.refresh_from_db()
    assert story.state == StoryState.WITHDRAWN
    assert client.post("/nl/stories/withdraw/forged/").status_code == 400


def test_the_link_erases_a_story_without_an_account_and_the_details_it_holds(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """A contributor without an account has only the link in the e-mails: it can erase
    the story, its photo and the name and address it holds (AVG/GDPR art. 17)."""
    from django.core.files.storage import default_storage

    from reisgezel.core.models import AuditEntry
    from reisgezel.search.models import SearchDocument
    from reisgezel.stories.services import Uploads, story_approve, story_confirm_email

    with django_capture_on_commit_callbacks(execute=True):
        story = submit(
            email="ans@example.org",
            display_name="Ans",
            uploads=Uploads(photos=[(photo_with_gps(), "De Maas")]),
        )
        story_confirm_email(token=story_token(story, "confirm"))
        story = story_approve(actor=moderator(), story=story)
    photo = str(story.media.get().file.name)
    assert default_storage.exists(photo)
    assert SearchDocument.objects.filter(doc_type="story", object_id=story.pk).exists()
    url = f"/en/stories/withdraw/{story_token(story, 'manage')}/"
    page = client.get(url).content.decode()
    assert "Erase the story and my details" in page and "Withdraw the story" in page
    dutch = client.get(url.replace("/en/", "/nl/")).content.decode()
    assert "Wis het verhaal en mijn gegevens" in dutch
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"erase": "1"})
    assert response.status_code == 200
    assert "The story and your details are erased" in response.content.decode()
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not Story.objects.filter(contributor_email="ans@example.org").exists()
    assert not default_storage.exists(photo)
    assert not SearchDocument.objects.filter(doc_type="story", object_id=story.pk).exists()
    (entry,) = AuditEntry.objects.filter(action="story.erase_link")
    assert entry.target_id == str(story.pk) and "ans" not in json.dumps(entry.data).lower()
    # The link is spent: nothing is left to act on.
    assert client.post(url, {"erase": "1"}).status_code == 400


def test_guardian_page_shows_the_story_and_records_consent(client: Client) -> None:
    story = submit(
        actor=make_user(), is_minor=True, guardian_name="Ans", guardian_email="a@example.org"
    )
    url = f"/nl/stories/consent/{story_token(story, 'guardian')}/"
    page = client.get(url).content.decode()
    assert story.title in page and "Ans" in page
    client.post(url)
    story.refresh_from_db()
    assert story.guardian_consent_at is not None and story.state == StoryState.PENDING


def test_the_guardian_sees_the_photos_and_recording_served_to_the_link_holder_only(
    client: Client,
) -> None:
    photo = photo_with_gps((40, 30))
    recording = ((SAMPLES / "uitspraak.mp3").read_bytes(), "Oma zingt")
    story = submit(
        actor=make_user(),
        is_minor=True,
        guardian_name="Ans",
        guardian_email="a@example.org",
        uploads=Uploads(photos=[(photo, "De Maas bij Wyck")], audio=recording),
    )
    other = submit(
        actor=make_user(),
        is_minor=True,
        guardian_name="Bep",
        guardian_email="b@example.org",
        uploads=Uploads(photos=[(photo, "")]),
    )
    token = story_token(story, "guardian")
    page = client.get(f"/nl/stories/consent/{token}/").content.decode()
    photo_item = story.media.get(kind="photo")
    audio_item = story.media.get(kind="audio")
    photo_url = f"/nl/stories/consent/{token}/media/{photo_item.uuid}/"
    audio_url = f"/nl/stories/consent/{token}/media/{audio_item.uuid}/"
    assert f'src="{photo_url}"' in page and 'alt="De Maas bij Wyck"' in page
    assert f'src="{audio_url}"' in page
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with default_storage.open(str(photo_item.file.name)) as stored:
        assert served.getvalue() == stored.read()
    assert client.get(audio_url).status_code == 200
    # Nobody else gets them: not through the story's own media address (the story is
    # not public), not with a broken link, another story's link or another kind of link.
    refused = [
        f"/nl/stories/media/{photo_item.uuid}/",
        f"/nl/stories/consent/{token[:-2]}xx/media/{photo_item.uuid}/",
        f"/nl/stories/consent/{story_token(other, 'guardian')}/media/{photo_item.uuid}/",
        f"/nl/stories/consent/{story_token(story, 'manage')}/media/{photo_item.uuid}/",
        f"/nl/stories/consent/{story_token(story, 'confirm')}/media/{photo_item.uuid}/",
    ]
    assert [Client().get(url).status_code for url in refused] == [404] * len(refused)
    # Nor the guardian, once the story is withdrawn.
    story_withdraw(actor=story.contributor, story=story)
    assert client.get(photo_url).status_code == 404


def test_my_stories_withdraw_edit_export_and_erase(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    author = make_user()
    story = published(django_capture_on_commit_callbacks, author=author)
    assert client.get("/nl/stories/mine/").status_code == 302  # log in first
    client.force_login(author)
    assert story.title in client.get("/nl/stories/mine/").content.decode()
    edit = client.get(f"/nl/stories/mine/{story.uuid}/edit/")
    assert edit.status_code == 200 and story.text in edit.content.decode()
    response = client.post(
        f"/nl/stories/mine/{story.uuid}/edit/", form_data(title="Carnaval, later", email="")
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Carnaval, later" and story.state == StoryState.PENDING
    export = client.get("/nl/stories/mine/export/")
    assert export["Content-Disposition"].startswith("attachment")
    assert json.loads(export.content)["stories"][0]["title"] == "Carnaval, later"
    client.post(f"/nl/stories/mine/{story.uuid}/withdraw/")
    story.refresh_from_db()
    assert story.state == StoryState.WITHDRAWN
    other = published(django_capture_on_commit_callbacks, author=author)
    assert client.get("/nl/stories/mine/erase/").status_code == 200
    client.post("/nl/stories/mine/erase/", {"confirm": "yes", "keep": [str(other.pk)]})
    other.refresh_from_db()
    assert other.anonymised and other.contributor is None
    assert not Story.objects.filter(pk=story.pk).exists()


def test_someone_else_cannot_touch_my_story(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    story = published(django_capture_on_commit_callbacks)
    client.force_login(make_user())
    assert client.get(f"/nl/stories/mine/{story.uuid}/edit/").status_code == 404
    assert client.post(f"/nl/stories/mine/{story.uuid}/withdraw/").status_code == 404


def test_moderation_page_approves_rejects_and_shows_reports(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    waiting = submit(actor=make_user(), title="Wacht op moderatie")
    live = published(django_capture_on_commit_callbacks, title="Gemeld verhaal")
    client.post(f"/nl/stories/{live.uuid}/", {"reason": "offensive", "details": "Kwetsend"})
    assert StoryReport.objects.filter(story=live).count() == 1
    assert client.get("/nl/stories/moderation/").status_code == 403
    client.force_login(moderator())
    page = client.get("/nl/stories/moderation/").content.decode()
    assert "Wacht op moderatie" in page and "Gemeld verhaal" in page and "Kwetsend" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nl/stories/moderation/{waiting.uuid}/", {"decision": "approve"})
        client.post(
            f"/nl/stories/moderation/{live.uuid}/", {"decision": "reject", "reason": "Kwetsend"}
        )
    waiting.refresh_from_db()
    live.refresh_from_db()
    assert waiting.state == StoryState.PUBLISHED and live.state == StoryState.REJECTED
    report = StoryReport.objects.get()
    client.post(f"/nl/stories/moderation/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_list_filters_theme_pages_and_map_page(
    client: Client, django_capture_on_commit_callbacks: Any, wyck: Any
) -> None:
    in_wyck = published(
        django_capture_on_commit_callbacks, title="Verhaal uit Wyck", neighbourhood_id=wyck.pk
    )
    elsewhere = published(django_capture_on_commit_callbacks, title="Verhaal van elders")
    listing = client.get("/nl/stories/?neighbourhood=wyck").content.decode()
    assert in_wyck.title in listing and elsewhere.title not in listing
    theme = ThemedCollection.objects.create(
        slug="sphinx",
        title={"nl": "Sphinx, een plek van herinnering", "en": "Sphinx, a place of memory"},
    )
    theme.entries.create(story=elsewhere, position=0)
    theme_page = client.get("/en/stories/themes/sphinx/").content.decode()
    assert "Sphinx, a place of memory" in theme_page and elsewhere.title in theme_page
    assert in_wyck.title not in theme_page
    map_page = client.get("/nl/stories/map/").content.decode()
    assert 'data-geojson="/nl/stories/map.json"' in map_page
    assert in_wyck.title in map_page  # the list alternative
    assert elsewhere.title not in map_page  # no location, not on the map


def test_reports_are_rate_limited_too(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    story = published(django_capture_on_commit_callbacks)
    for _ in range(RATE_LIMIT):
        assert client.post(f"/en/stories/{story.uuid}/", {"reason": "other"}).status_code == 302
    assert client.post(f"/en/stories/{story.uuid}/", {"reason": "other"}).status_code == 429
    assert StoryReport.objects.count() == RATE_LIMIT


def test_sending_a_story_that_is_no_draft_says_so(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """A second click on "send" (the story left its draft state) is a message on the
    list of my stories, not a server error."""
    author = make_user()
    story = published(django_capture_on_commit_callbacks, author=author)
    client.force_login(author)
    response = client.post(f"/nl/stories/mine/{story.uuid}/send/", follow=True)
    assert response.status_code == 200
    assert "Dit verhaal is al verstuurd." in response.content.decode()
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED
