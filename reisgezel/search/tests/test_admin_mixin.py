"""IndexedSearchMixin: admin search through the index, without any domain app.

Django's own Group and Permission models stand in for domain models: throwaway
document types (conftest.FakeType) index them by their primary key or by their
content type, so the mixin is tested as a domain admin would use it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import RequestFactory

from reisgezel.search.admin import IndexedSearchMixin
from reisgezel.search.tests.conftest import FakeType

pytestmark = pytest.mark.django_db


class GroupAdmin(IndexedSearchMixin, admin.ModelAdmin):
    search_doc_type = "book"
    search_fields = ("=name",)


class PermissionAdmin(IndexedSearchMixin, admin.ModelAdmin):
    search_doc_type = "film"
    search_doc_field = "content_type"
    search_fields = ("=codename",)


@pytest.fixture
def groups(books: FakeType) -> Iterator[dict[str, Group]]:
    """Three groups, each indexed as a "book" whose text is richer than its name."""
    texts = {
        "curators": ("Conservatoren", "Tentoonstellingen en collecties van het museum"),
        "volunteers": ("Vrijwilligers", "Rondleidingen in de Sint-Servaasbasiliek"),
        "café": ("Café", "Het café in het Théâtre"),
    }
    made = {}
    for name, nl in texts.items():
        group = Group.objects.create(name=name)
        books.put(group.pk, nl=nl)
        made[name] = group
    yield made


def _search(model_admin: admin.ModelAdmin, queryset: QuerySet, text: str) -> tuple[set[str], bool]:
    request = RequestFactory().get("/", {"q": text})
    found, duplicates = model_admin.get_search_results(request, queryset, text)
    return {str(row) for row in found}, duplicates


def test_the_index_matches_stems_and_folded_accents(groups: dict[str, Group]) -> None:
    group_admin = GroupAdmin(Group, admin.site)
    groups_qs = Group.objects.all()

    assert _search(group_admin, groups_qs, "tentoonstelling") == ({"curators"}, False)
    assert _search(group_admin, groups_qs, "rondleiding servaas") == ({"volunteers"}, False)
    assert _search(group_admin, groups_qs, "theatre") == ({"café"}, False)
    assert _search(group_admin, groups_qs, "conserv") == ({"curators"}, False)  # being typed


def test_exact_lookups_are_added_and_nothing_matches_a_fragment(
    groups: dict[str, Group],
) -> None:
    group_admin = GroupAdmin(Group, admin.site)
    groups_qs = Group.objects.all()

    # "curators" is only the group's name (not in its document): the exact lookup finds it.
    assert _search(group_admin, groups_qs, "CURATORS")[0] == {"curators"}
    assert _search(group_admin, groups_qs, "urato")[0] == set()
    assert _search(group_admin, groups_qs, "teers")[0] == set()


def test_empty_text_lists_everything_and_filters_are_kept(groups: dict[str, Group]) -> None:
    group_admin = GroupAdmin(Group, admin.site)
    narrowed = Group.objects.exclude(name="curators")

    assert _search(group_admin, Group.objects.all(), "  ")[0] == set(groups)
    assert _search(group_admin, narrowed, "tentoonstelling")[0] == set()
    assert _search(group_admin, narrowed, "curators")[0] == set()


@pytest.mark.parametrize("text", ['"', "'", "*", "a OR b", "NEAR(x y)", "-", "^", "()", "ü" * 300])
def test_hostile_text_lists_nothing_without_an_error(groups: dict[str, Group], text: str) -> None:
    found, _duplicates = _search(GroupAdmin(Group, admin.site), Group.objects.all(), text)
    assert found == set()


def test_nul_characters_are_ignored(groups: dict[str, Group]) -> None:
    # PostgreSQL refuses NUL in a query: it would be a server error, not "nothing found".
    group_admin = GroupAdmin(Group, admin.site)
    assert _search(group_admin, Group.objects.all(), "theatre\x00")[0] == {"café"}
    assert _search(group_admin, Group.objects.all(), "\x00")[0] == set(groups)


def test_a_field_can_hold_the_indexed_ids(films: FakeType) -> None:
    group_type = ContentType.objects.get_for_model(Group)
    films.put(group_type.pk, nl=("Groepen", "Wie samen werkt"))
    permission_admin = PermissionAdmin(Permission, admin.site)

    found, duplicates = _search(permission_admin, Permission.objects.all(), "groep")

    expected = set(map(str, Permission.objects.filter(content_type=group_type)))
    assert found == expected and len(expected) == 4
    assert not duplicates
    assert _search(permission_admin, Permission.objects.all(), "ADD_GROUP")[0] == {
        str(Permission.objects.get(codename="add_group"))
    }
