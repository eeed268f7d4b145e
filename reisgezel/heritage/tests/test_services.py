"""Publishing, bulk rights and deletion: audited, indexed, and remembered for harvesters."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import HeritageObject, MediaFile, Tombstone
from reisgezel.heritage.services import object_delete, objects_set_public, objects_set_rights
from tests.factories import UserFactory
from tests.heritage_factories import ObjectFactory, SpecimenFactory

pytestmark = pytest.mark.django_db

CC_BY = "http://creativecommons.org/licenses/by/4.0/"


def test_publishing_touches_only_changed_objects_and_audits_them() -> None:
    curator = UserFactory(is_staff=True)
    hidden = ObjectFactory(is_public=False)
    public = ObjectFactory(is_public=True)
    before = public.updated_at
    assert objects_set_public([hidden.pk, public.pk], public=True, actor=curator) == 1
    hidden.refresh_from_db()
    public.refresh_from_db()
    assert hidden.is_public and public.updated_at == before
    entry = AuditEntry.objects.get(target_id=str(hidden.pk))
    assert (entry.action, entry.actor) == ("publish", curator)


def test_bulk_rights_validate_the_uri_and_can_include_media() -> None:
    curator = UserFactory(is_staff=True)
    obj = ObjectFactory(rights_uri="http://rightsstatements.org/vocab/CNE/1.0/")
    media = MediaFile.objects.create(
        kind="image", object=obj, file="x.jpg", alt_text={"nl": "Een bord"}, sha256="0" * 64
    )
    with pytest.raises(ValidationError):
        objects_set_rights([obj.pk], rights_uri="http://example.org/", actor=curator)
    assert objects_set_rights([obj.pk], rights_uri=CC_BY, actor=curator, include_media=True) == 1
    obj.refresh_from_db()
    media.refresh_from_db()
    assert obj.rights_uri == media.rights_uri == CC_BY
    entry = AuditEntry.objects.get(action="set_rights")
    assert entry.data["from"] == "http://rightsstatements.org/vocab/CNE/1.0/"


def test_deleting_leaves_a_tombstone_and_an_audit_entry() -> None:
    specimen = SpecimenFactory()
    pid = specimen.object.pid
    tombstone = object_delete(specimen.object, actor=None, message="duplicate record")
    assert not HeritageObject.objects.filter(pid=pid).exists()
    assert Tombstone.objects.get(pid=pid) == tombstone
    assert tombstone.collection_code == "natural-history"
    assert AuditEntry.objects.get(action="delete").data["pid"] == pid


def test_the_database_refuses_impossible_records() -> None:
    obj = ObjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HeritageObject.objects.filter(pk=obj.pk).update(date_earliest=1900, date_latest=1800)
    with pytest.raises(IntegrityError), transaction.atomic():
        HeritageObject.objects.filter(pk=obj.pk).update(title={"en": "No Dutch title"})
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaFile.objects.create(kind="image", object=obj, file="y.jpg", sha256="1" * 64)


def test_sensitive_localities_are_generalised() -> None:
    specimen = SpecimenFactory(locality_is_sensitive=True, coordinate_uncertainty_m=50)
    lat, lon, uncertainty = specimen.public_coordinates() or (None, None, None)
    assert (str(lat), str(lon), uncertainty) == ("50.8", "5.7", 10_000)
    assert specimen.public_locality() == ""
    specimen.locality_is_sensitive = False
    assert specimen.public_coordinates() == (specimen.latitude, specimen.longitude, 50)
