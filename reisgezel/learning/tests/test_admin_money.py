"""Entitlements and payments recorded in the admin go through the services: their rules
show on the form (never a 500), the row is audited, and it is read-only afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from reisgezel.accounts.models import User
from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import DiscountScheme, Entitlement, Payment
from reisgezel.learning.services.schemes import schemes_ensure
from reisgezel.learning.tests.test_payments import enrolment_of
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> tuple[Client, User]:
    user = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def test_staff_record_an_entitlement_through_the_service(staff_client: tuple[Client, User]) -> None:
    client, user = staff_client
    schemes_ensure()
    child = make_child(household=make_household())
    fund = DiscountScheme.objects.get(code="jeugdfonds")
    form = {
        "participant": child.pk,
        "scheme": fund.pk,
        "valid_from": "2026-09-01",
        "valid_until": "2027-08-31",
        "verified_how": "fund_decision",
        "reference": "JF-2026-0042",
    }
    response = client.post("/nl/admin/learning/entitlement/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entitlement = Entitlement.objects.get()
    assert entitlement.verified_by == user and entitlement.reference == "JF-2026-0042"
    assert AuditEntry.objects.filter(action="learning.entitlement_grant").count() == 1

    # Reversed dates: the service's message on the form, nothing written.
    response = client.post(
        "/nl/admin/learning/entitlement/add/", {**form, "valid_until": "2026-01-01"}
    )
    assert response.status_code == 200
    assert Entitlement.objects.count() == 1
    assert "errornote" in response.content.decode()


def test_staff_record_payments_and_refunds_within_what_is_due(
    staff_client: tuple[Client, User],
) -> None:
    client, _user = staff_client
    enrolment = enrolment_of(make_adult(), due="120.00")
    form = {
        "enrolment": enrolment.pk,
        "kind": "payment",
        "amount": "100.00",
        "payer_kind": "person",
        "method": "card",
        "reference": "",
    }
    assert client.post("/nl/admin/learning/payment/add/", form).status_code == 302
    # More than is left to pay: refused on the form.
    response = client.post("/nl/admin/learning/payment/add/", {**form, "amount": "50.00"})
    assert response.status_code == 200
    # A refund of more than was paid: refused too; a smaller one is fine.
    refund = {**form, "kind": "refund", "method": "bank_transfer"}
    assert (
        client.post("/nl/admin/learning/payment/add/", {**refund, "amount": "150.00"}).status_code
        == 200
    )
    assert (
        client.post("/nl/admin/learning/payment/add/", {**refund, "amount": "30.00"}).status_code
        == 302
    )
    assert [(p.kind, p.amount) for p in Payment.objects.order_by("pk")] == [
        ("payment", Decimal("100.00")),
        ("refund", Decimal("30.00")),
    ]
    # Recorded rows cannot be changed.
    payment = Payment.objects.first()
    assert payment is not None
    client.post(f"/nl/admin/learning/payment/{payment.pk}/change/", {**form, "amount": "1.00"})
    payment.refresh_from_db()
    assert payment.amount == Decimal("100.00")
