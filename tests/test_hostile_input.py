"""Hostile input never gives a server error.

A crawl of every page of a small site (tests/hostile_site.py) as a visitor, a logged-in
resident and a staff superuser. Each page is requested plain, then with hostile values
(dates outside Python's reach, numbers beyond 64 bits, NaN, a NUL, 5,000 characters,
unicode oddities, empty, brackets) in every query parameter of its GET forms and links
and the common ones (`page`, `q`, `date_from`...): all parameters at once per value,
and the sharpest values in each of the page's own parameters alone, so that no other
parameter's error can hide them. Addresses whose identifier is an integer are requested
with one beyond 64 bits, slugs with 5,000 characters. Every form the pages offer to POST
is sent with one field at a time set to a hostile value (chosen by the kind of its
control), the others as the page filled them in, once for each submit button.

The machine interfaces have their own tests here: the admin's changelists (search,
page, ordering, date hierarchy), the JSON API's list endpoints (every query parameter
of its OpenAPI description, one at a time), OAI-PMH (which answers bad requests with its
own XML error and status 200) and the IIIF and /id/ addresses with broken identifiers.

The rule: no status of 500 or above, and no exception. Each test collects every failure
and reports them together, with the method, address, field, value and exception. Found
by this crawl and fixed are the errors in CHANGELOG.md ("Fixed"); `KNOWN` lists those
still open, so that the crawl keeps guarding everything else.

Marked `crawl`: `./dev test` runs it on PostgreSQL only (about 70 s), where NUL
characters and out-of-range numbers fail; `./dev test tests/test_hostile_input.py` runs
it on SQLite.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlsplit

import lxml.etree
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.hostile import (
    BEYOND_64_BITS,
    COMMON_PARAMETERS,
    HOSTILE_VALUES,
    LONG,
    SHARP_VALUES,
    Crawler,
    Failure,
    Form,
    Route,
    read_page,
    routes,
)
from tests.hostile_site import Arguments, Site, build_site, route_arguments

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

LANGUAGE = "en"
USERS = ("anonymous", "resident", "staff")
# The pages are crawled in shards, so that pytest-xdist can share them out.
SHARDS = 2
# Fewer pages than this per shard means the crawl lost its way (a renamed argument, a
# broken site fixture): it must not shrink silently to nothing.
MIN_PAGES_PER_SHARD = 60
# Pages each kind of user must see with a 200 (not a redirect to the login page or a
# 403), over all shards: the crawl must reach the pages it is meant for.
MIN_PAGES_SEEN = {"anonymous": 40, "resident": 60, "staff": 80}
# Routes whose arguments the crawl cannot fill in (a photo, a story's media: files the
# site has none of). More than this, and a renamed argument went unnoticed.
MAX_ROUTES_NOT_FILLED_IN = 8
MIN_FORMS = {"anonymous": 3, "resident": 10, "staff": 25}

# Namespaces and routes with tests of their own below, or nothing to crawl.
OWN_TESTS = ("admin:", "api:", "heritage_id:", "iiif:", "interop:oai")
OWN_TESTS_PATHS = (f"/{LANGUAGE}/admin/", "/api/", "/id/", "/iiif/", "/oai")
NOT_CRAWLED = ("set_language",)  # the language switcher: a redirect, tested elsewhere
# Forms not to post: logging out ends the session the crawl runs in.
FORMS_NOT_POSTED = re.compile(r"/accounts/logout/|/i18n/setlang/")

# Server errors the crawl found that are not fixed yet: (method, address pattern, field
# pattern), regular expressions. Each entry says why it is open; remove it with the fix.
# (method, address pattern, field pattern) of server errors still open, each with why.
# None today: Django's admin date hierarchy with a year of 9999 (ticket #37357) is
# answered by core.middleware.GuardAdminDateHierarchy until the fix reaches a release.
KNOWN: tuple[tuple[str, str, str], ...] = ()


def _known(failure: Failure) -> bool:
    return any(
        failure.method == method
        and re.search(pattern, failure.url)
        and re.search(field, failure.field)
        for method, pattern, field in KNOWN
    )


def _report(crawler: Crawler) -> list[str]:
    return [str(failure) for failure in crawler.failures if not _known(failure)]


# --- The site and its pages --------------------------------------------------------------


@pytest.fixture
def site(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Site:
    # Thousands of 4xx (and any 5xx) would each log a warning or a traceback: the
    # failures below say what went wrong.
    caplog.set_level(logging.CRITICAL + 1, logger="django.request")
    caplog.set_level(logging.CRITICAL + 1, logger="django.security")
    # The test client copies the context of every template it renders, for
    # `response.context`; the crawl reads none, and the copies cost more than the pages.
    monkeypatch.setattr("django.test.client.store_rendered_templates", _store_nothing)
    # Stories allow five submissions an hour; the rest of the crawl's posts would only
    # see the "wait an hour" page. The counting still runs.
    monkeypatch.setattr("reisgezel.stories.services.RATE_LIMIT", 10**6)
    return build_site()


def _store_nothing(*args: object, **kwargs: object) -> None:
    return None


def _crawler(site: Site, who: str) -> Crawler:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=LANGUAGE)
    if who != "anonymous":
        client.force_login(site.resident if who == "resident" else site.staff)
    return Crawler(client)


def _broken(route: Route, arguments: Arguments) -> Iterator[Arguments]:
    """The same arguments with identifiers nobody has: integers beyond 64 bits, long slugs."""
    integers = {n for n, c in zip(route.arguments, route.converters, strict=True) if "Int" in c}
    if integers:
        yield {n: int(BEYOND_64_BITS) if n in integers else v for n, v in arguments.items()}
    texts = {
        n
        for n, c in zip(route.arguments, route.converters, strict=True)
        if c in {"SlugConverter", "StringConverter"}
    }
    if texts:
        yield {n: LONG if n in texts else v for n, v in arguments.items()}


def _page_urls(site: Site) -> tuple[list[str], list[str], list[str]]:
    """The addresses to crawl (in order), the broken-identifier variants of them, and
    the routes that could not be filled in."""
    known = route_arguments(site)
    urls: list[str] = []
    broken: list[str] = []
    with translation.override(LANGUAGE):
        named, unnamed = routes()
        skipped = [f"(unnamed) {p}" for p in unnamed if not p.startswith(OWN_TESTS_PATHS)]
        for route in named:
            if route.name.startswith(OWN_TESTS) or route.name in NOT_CRAWLED:
                continue
            if not route.arguments:
                urls.append(reverse(route.name))
                continue
            if route.name not in known:
                skipped.append(f"{route.name} {route.pattern}")
                continue
            for arguments in known[route.name]:
                urls.append(reverse(route.name, kwargs=arguments))
                for variant in _broken(route, arguments):
                    try:
                        broken.append(reverse(route.name, kwargs=variant))
                    except NoReverseMatch:
                        continue
    return urls, sorted(set(broken)), skipped


def _crawl_page(crawler: Crawler, url: str) -> tuple[int, list[Form]]:
    """GET a page plain and with hostile query values; its status and forms."""
    response = crawler.get(url, what="(plain)")
    status = 0 if response is None else response.status_code
    page = read_page(crawler.html(response), "http://testserver" + url)
    own = page.get_parameters()
    every = list(dict.fromkeys([*COMMON_PARAMETERS, *own]))
    for value in HOSTILE_VALUES:
        crawler.get(url, dict.fromkeys(every, value), what="(every parameter)", value=value)
    for name in dict.fromkeys([*own, "page"]):
        for value in SHARP_VALUES:
            crawler.get(url, {name: value}, what=name, value=value)
    return status, page.forms


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("who", USERS)
def test_pages_answer_hostile_queries_without_a_server_error(
    site: Site, who: str, shard: int, record_property: Callable[[str, object], None]
) -> None:
    urls, broken, skipped = _page_urls(site)
    mine = urls[shard::SHARDS]
    crawler = _crawler(site, who)
    seen = sum(_crawl_page(crawler, url)[0] == 200 for url in mine)
    for url in broken[shard::SHARDS]:
        crawler.get(url, what="(identifier)")
    record_property("pages", len(mine))
    record_property("pages_answered_200", seen)
    record_property("requests", crawler.requests)
    record_property("statuses", crawler.statuses)
    record_property("routes_not_filled_in", skipped)
    assert len(mine) >= MIN_PAGES_PER_SHARD, f"only {len(mine)} pages: {skipped}"
    assert len(skipped) <= MAX_ROUTES_NOT_FILLED_IN, f"add their arguments: {skipped}"
    assert seen >= MIN_PAGES_SEEN[who] / SHARDS, f"only {seen} pages answered 200"
    _assert_no_failures(crawler)


def _forms_to_post(crawler: Crawler, urls: list[str]) -> list[Form]:
    """The POST forms of the pages, each once. Forms with the same fields (a create and
    an edit page) are read by the same form code: the one the page filled in most is
    kept, since only a valid rest of the form lets a hostile field reach the services."""
    found: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], Form] = {}
    for url in urls:
        response = crawler.get(url, what="(plain)")
        for form in read_page(crawler.html(response), "http://testserver" + url).forms:
            path = urlsplit(form.action).path
            if form.method != "post" or not form.kinds or FORMS_NOT_POSTED.search(path):
                continue
            key = form.key()
            if key not in found or form.filled() > found[key].filled():
                found[key] = form
    return list(found.values())


@pytest.mark.parametrize("who", USERS)
def test_forms_answer_hostile_posts_without_a_server_error(
    site: Site, who: str, record_property: Callable[[str, object], None]
) -> None:
    """Each form of the site, posted with one field at a time set to a hostile value."""
    urls, _broken_urls, _skipped = _page_urls(site)
    crawler = _crawler(site, who)
    forms = _forms_to_post(crawler, urls)
    for form in forms:
        path = urlsplit(form.action).path
        for data, name, value in form.hostile():
            crawler.post(path, data, what=name, value=value)
    record_property("forms", sorted(urlsplit(form.action).path for form in forms))
    record_property("requests", crawler.requests)
    record_property("statuses", crawler.statuses)
    assert len(forms) >= MIN_FORMS[who], f"only {len(forms)} forms to post"
    _assert_no_failures(crawler)


def _assert_no_failures(crawler: Crawler) -> None:
    failures = _report(crawler)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


# --- The staff admin ---------------------------------------------------------------------

# (A NUL in the address is refused by the middleware before the admin sees it.)
ADMIN_SEARCHES = (BEYOND_64_BITS, LONG, "9999-12-31")
ADMIN_NUMBERS = (BEYOND_64_BITS, "-" + BEYOND_64_BITS)


def test_admin_answers_hostile_searches_without_a_server_error(
    site: Site, record_property: Callable[[str, object], None]
) -> None:
    """Every changelist, searched, paged, ordered and (where it has one) walked by date
    with hostile values, one parameter at a time."""
    crawler = _crawler(site, "staff")
    with translation.override(LANGUAGE):
        crawler.get(reverse("admin:index"), what="(plain)")
        changelists = 0
        for model, model_admin in admin.site._registry.items():
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            changelists += 1
            crawler.get(url, what="(plain)")
            queries: list[tuple[str, str]] = [("q", value) for value in ADMIN_SEARCHES]
            queries += [(name, value) for name in ("p", "o") for value in ADMIN_NUMBERS]
            if model_admin.date_hierarchy:
                field = model_admin.date_hierarchy
                queries += [
                    (f"{field}__{part}", value)
                    for part in ("year", "month", "day")
                    for value in (BEYOND_64_BITS, "9999", "0")
                ]
            for name, value in queries:
                crawler.get(url, {name: value}, what=name, value=value)
    assert changelists >= 40
    record_property("requests", crawler.requests)
    _assert_no_failures(crawler)


# --- The JSON API ------------------------------------------------------------------------

BROKEN_IDENTIFIERS = (BEYOND_64_BITS, "-" + BEYOND_64_BITS, "0", LONG, "😀", "{}", "9999-12-31")


def test_api_answers_hostile_queries_without_a_server_error(
    site: Site, record_property: Callable[[str, object], None]
) -> None:
    """Each GET endpoint of the OpenAPI description: its list endpoints with hostile
    values in all query parameters at once and in each one alone, the others with
    identifiers nobody has. With a partner token, so that the partner endpoints answer."""
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {site.api_key}")
    crawler = Crawler(client)
    spec = json.loads(client.get("/api/openapi.json").content)
    lists = 0
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        parameters = operations["get"].get("parameters", [])
        query = [p["name"] for p in parameters if p["in"] == "query"]
        if "{" in path:
            for value in BROKEN_IDENTIFIERS:
                url = re.sub(r"\{[^}]+\}", quote(value, safe=""), path)
                crawler.get(url, what="(identifier)", value=value)
            continue
        lists += 1
        crawler.get(path, what="(plain)")
        every = list(dict.fromkeys([*query, *COMMON_PARAMETERS]))
        for value in HOSTILE_VALUES:
            crawler.get(path, dict.fromkeys(every, value), what="(every parameter)", value=value)
        for name in query:
            for value in HOSTILE_VALUES:
                crawler.get(path, {name: value}, what=name, value=value)
    assert lists >= 6
    record_property("requests", crawler.requests)
    _assert_no_failures(crawler)


# --- OAI-PMH -----------------------------------------------------------------------------

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _oai_requests(identifier: str) -> Iterator[tuple[dict[str, str], str, str]]:
    """(arguments, the hostile argument, its value) for each hostile request."""
    for value in HOSTILE_VALUES:
        yield {"verb": value}, "verb", value
        for verb in ("ListRecords", "ListIdentifiers"):
            for name in ("metadataPrefix", "from", "until", "set", "resumptionToken"):
                arguments = {"verb": verb, "metadataPrefix": "oai_dc", name: value}
                if name == "resumptionToken":
                    arguments = {"verb": verb, name: value}
                yield arguments, name, value
        yield (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": value},
            "identifier",
            value,
        )
        yield (
            {"verb": "GetRecord", "metadataPrefix": value, "identifier": identifier},
            "metadataPrefix",
            value,
        )
        yield {"verb": "ListMetadataFormats", "identifier": value}, "identifier", value
        yield {"verb": "ListSets", "resumptionToken": value}, "resumptionToken", value
        yield {"verb": "Identify", "extra": value}, "extra", value


def test_oai_pmh_answers_hostile_requests_with_its_own_errors(
    site: Site, record_property: Callable[[str, object], None]
) -> None:
    """OAI-PMH answers every request, however bad, with status 200 and an XML response
    (a badVerb, badArgument... error), by GET and by POST."""
    crawler = _crawler(site, "anonymous")
    url = reverse("interop:oai")
    listed = crawler.get(url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert listed is not None and listed.status_code == 200
    identifier = lxml.etree.fromstring(crawler.body).findtext(f".//{OAI}identifier")
    assert identifier, "the site's heritage object is not harvested"
    wrong: list[str] = []
    for arguments, name, value in _oai_requests(identifier):
        for method in ("GET", "POST"):
            response = crawler.send(method, url, arguments, what=name, value=value)
            if response is None or response.status_code >= 500:
                continue
            try:
                root = lxml.etree.fromstring(crawler.body)
            except lxml.etree.XMLSyntaxError as error:
                wrong.append(f"{method} {arguments!r}: not XML ({error})")
                continue
            if response.status_code != 200 or root.tag != f"{OAI}OAI-PMH":
                wrong.append(f"{method} {name}={value[:40]!r}: {response.status_code} {root.tag}")
    record_property("requests", crawler.requests)
    _assert_no_failures(crawler)
    assert not wrong, "\n".join(wrong)


# --- IIIF and persistent identifiers ----------------------------------------------------

BROKEN_SEGMENTS = (*BROKEN_IDENTIFIERS, "\x00", "..", "NaN", "[]", " ")


def _broken_addresses(site: Site) -> Iterator[str]:
    code = site.heritage.heritage_object.collection.code
    for raw in BROKEN_SEGMENTS:
        value = quote(raw, safe="")
        yield f"/iiif/object/{value}/manifest.json"
        yield f"/iiif/collection/{value}.json"
        yield f"/iiif/exhibit/{value}.json"
        yield f"/iiif/image/{value}/info.json"
        yield f"/iiif/image/{value}/full/max/0/default.jpg"
        yield f"/iiif/{value}"
        yield f"/id/{value}/{value}"
        for kind in ("object", "agent", "concept", "collection", "exhibit", "word"):
            yield f"/id/{kind}/{value}"
    for page in (BEYOND_64_BITS, "0", "99999"):
        yield f"/iiif/collection/{code}/{page}.json"


def test_iiif_and_persistent_identifiers_refuse_broken_identifiers(
    site: Site, record_property: Callable[[str, object], None]
) -> None:
    """An identifier nobody has is a 4xx (404 mostly, 400 for a NUL), never a 500 nor a
    success; the site's own records still answer."""
    crawler = _crawler(site, "anonymous")
    obj = site.heritage.heritage_object
    code = obj.collection.code
    for good in (f"/iiif/collection/{code}.json", f"/id/object/{obj.pid}"):
        response = crawler.get(good, what="(plain)")
        assert response is not None and response.status_code in {200, 303}, good
    wrong: list[str] = []
    for url in _broken_addresses(site):
        response = crawler.get(url, what="(identifier)")
        if response is not None and not 400 <= response.status_code < 500:
            wrong.append(f"GET {url[:120]}: {response.status_code}")
    record_property("requests", crawler.requests)
    _assert_no_failures(crawler)
    assert not wrong, "\n".join(wrong)


# --- Found by the crawl -----------------------------------------------------------------


def test_a_rejection_reason_with_a_nul_character_is_refused(site: Site) -> None:
    """PostgreSQL stores no NUL: the moderation page refused none before (a 500 there)."""
    story = site.stories.story
    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE)
    client.force_login(site.staff)
    url = reverse("stories:moderate", kwargs={"uuid": story.uuid})
    response = client.post(url, {"decision": "reject", "reason": "a\x00b"}, follow=True)
    assert "Null characters are not allowed." in response.content.decode()
    story.refresh_from_db()
    assert story.state == "published"
    empty = client.post(url, {"decision": "reject", "reason": " "}, follow=True)
    assert "Tell the contributor why the story is not published." in empty.content.decode()
    client.post(url, {"decision": "reject", "reason": "Er staat een adres in."})
    story.refresh_from_db()
    assert (story.state, story.rejection_reason) == ("rejected", "Er staat een adres in.")
