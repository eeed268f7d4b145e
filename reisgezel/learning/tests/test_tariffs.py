"""The tariff service: the tariff by age, each discount scheme, stacking, the cap on
reduced places, yearly maxima, rounding and the explanation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    Enrolment,
    EnrolmentState,
    Entitlement,
    Participant,
    SchemeUse,
    Tariff,
    VerificationMethod,
)
from reisgezel.learning.services.schemes import (
    JEUGDFONDS_CODE,
    SENIOR_DISCOUNT_CODE,
    VOLWASSENENFONDS_CODE,
    entitlement_grant,
    schemes_ensure,
)
from reisgezel.learning.services.tariffs import (
    FAMILY_DISCOUNT_CODE,
    money,
    quote,
    school_year_label,
)
from tests.factories import make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemes() -> dict[str, DiscountScheme]:
    return {scheme.code: scheme for scheme in schemes_ensure()}


def grant(participant: Participant, code: str, *, days: int = 365) -> Entitlement:
    today = timezone.localdate()
    return entitlement_grant(
        actor=make_user(is_staff=True),
        participant=participant,
        scheme=DiscountScheme.objects.get(code=code),
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=days),
        verified_how=VerificationMethod.FUND_DECISION,
        reference="JF-2026-001",
    )


def enrolled(edition: Edition, participant: Participant, **values: Any) -> Enrolment:
    """An enrolment row as the enrolment service stores it (its own tests cover it),
    with what its one scheme covered."""
    enrolment = Enrolment.objects.create(edition=edition, participant=participant, **values)
    scheme = values.get("scheme")
    if scheme is not None:
        covered = (
            enrolment.fund_amount
            if scheme.kind == "fund"
            else enrolment.price_full - enrolment.price_due
        )
        SchemeUse.objects.create(enrolment=enrolment, scheme=scheme, amount=covered)
    return enrolment


def child_course_edition(price: str = "120.00", **overrides: object) -> Edition:
    course = make_course(age_min=4, age_max=17)
    return make_edition(course=course, price=price, **overrides)


def test_an_adult_pays_the_default_tariff_and_the_explanation_says_so(schemes: dict) -> None:
    result = quote(edition=make_edition(), participant=make_adult())
    assert result.price_full == result.price_due == Decimal("120.00")
    assert result.fund_amount == Decimal("0.00")
    assert result.scheme is None and result.uses_reduced_place is False
    assert result.tariff is not None and result.tariff.code == "standard"
    assert result.explanation == ["Standard tariff: € 120.00", "You pay € 120.00"]


def test_the_lowest_tariff_the_age_qualifies_for_wins() -> None:
    edition = make_edition()
    Tariff.objects.create(
        edition=edition,
        code="youth",
        label={"nl": "Jongeren", "en": "Young people"},
        amount=Decimal("60.00"),
        age_max=17,
    )
    Tariff.objects.create(
        edition=edition,
        code="donor",
        label={"nl": "Steun", "en": "Supporter"},
        amount=Decimal("150.00"),
        age_min=18,
    )
    child = make_child(household=make_household(), age=12)
    assert quote(edition=edition, participant=child).price_due == Decimal("60.00")
    adult = make_adult()
    result = quote(edition=edition, participant=adult)
    assert result.price_due == Decimal("120.00")
    assert result.tariff is not None and result.tariff.code == "standard"


def test_a_trial_lesson_tariff_is_never_the_price_of_the_course() -> None:
    edition = child_course_edition()
    Tariff.objects.create(
        edition=edition,
        code="trial",
        label={"nl": "Proefles", "en": "Trial lesson"},
        amount=Decimal("5.00"),
        age_min=4,
        age_max=17,
    )
    child = make_child(household=make_household(), age=9)
    result = quote(edition=edition, participant=child)
    assert result.tariff is not None and result.tariff.code == "standard"
    assert result.price_due == Decimal("120.00")


def test_the_age_counts_at_the_editions_start_not_today() -> None:
    edition = make_edition()
    Tariff.objects.create(
        edition=edition,
        code="senior",
        label={"nl": "65+", "en": "65+"},
        amount=Decimal("90.00"),
        age_min=65,
    )
    # 65 on the day after today: 64 today, 65 when the edition starts in two weeks.
    birthday = timezone.localdate() + timedelta(days=1)
    adult = make_adult(birth_date=birthday.replace(year=birthday.year - 65))
    assert quote(edition=edition, participant=adult).price_due == Decimal("90.00")


def test_jeugdfonds_pays_the_provider_for_a_child_with_an_entitlement(schemes: dict) -> None:
    child = make_child(household=make_household(), age=9)
    grant(child, JEUGDFONDS_CODE)
    result = quote(edition=child_course_edition(), participant=child)
    assert result.price_due == Decimal("0.00")
    assert result.fund_amount == Decimal("120.00")
    assert result.scheme == schemes[JEUGDFONDS_CODE]
    assert result.uses_reduced_place is True
    assert "Jeugdfonds Sport & Cultuur pays € 120.00 to the provider" in (result.explanation)
    assert result.explanation[-1] == "You pay € 0.00"


def test_jeugdfonds_needs_a_valid_entitlement(schemes: dict) -> None:
    edition = child_course_edition()
    child = make_child(household=make_household(), age=9)
    assert quote(edition=edition, participant=child).fund_amount == 0

    revoked = grant(child, JEUGDFONDS_CODE)
    Entitlement.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert quote(edition=edition, participant=child).fund_amount == 0

    Entitlement.objects.create(
        participant=child,
        scheme=schemes[JEUGDFONDS_CODE],
        valid_from=date(2020, 1, 1),
        valid_until=date(2020, 12, 31),
        verified_by=make_user(is_staff=True),
        verified_how=VerificationMethod.INTERMEDIARY,
    )
    assert quote(edition=edition, participant=child).fund_amount == 0
    # Valid on a date inside its range.
    assert quote(edition=edition, participant=child, on=date(2020, 6, 1)).fund_amount == Decimal(
        "120.00"
    )


def test_jeugdfonds_is_for_ages_4_to_17_at_the_start(schemes: dict) -> None:
    household = make_household()
    toddler = make_child(household=household, age=3)
    grant(toddler, JEUGDFONDS_CODE)
    course = make_course(age_min=0, age_max=120)
    assert quote(edition=make_edition(course=course), participant=toddler).fund_amount == 0


def test_the_yearly_maximum_counts_what_the_fund_already_paid_this_year(schemes: dict) -> None:
    child = make_child(household=make_household(), age=9)
    grant(child, JEUGDFONDS_CODE)
    earlier = child_course_edition(price="400.00")
    enrolled(
        earlier,
        child,
        price_full=Decimal("400.00"),
        price_due=Decimal("0.00"),
        fund_amount=Decimal("400.00"),
        scheme=schemes[JEUGDFONDS_CODE],
    )
    edition = child_course_edition(starts_on=earlier.starts_on, ends_on=earlier.ends_on)
    result = quote(edition=edition, participant=child)
    assert result.fund_amount == Decimal("50.00")
    assert result.price_due == Decimal("70.00")
    assert any("at most € 450.00 a year" in line for line in result.explanation)


def test_a_cancelled_enrolment_does_not_count_towards_the_yearly_maximum(schemes: dict) -> None:
    child = make_child(household=make_household(), age=9)
    grant(child, JEUGDFONDS_CODE)
    earlier = child_course_edition(price="450.00")
    enrolled(
        earlier,
        child,
        price_full=Decimal("450.00"),
        price_due=Decimal("0.00"),
        fund_amount=Decimal("450.00"),
        scheme=schemes[JEUGDFONDS_CODE],
        state=EnrolmentState.CANCELLED,
        cancelled_at=timezone.now(),
    )
    edition = child_course_edition(starts_on=earlier.starts_on, ends_on=earlier.ends_on)
    assert quote(edition=edition, participant=child).fund_amount == Decimal("120.00")


def test_a_used_up_yearly_maximum_means_the_full_price(schemes: dict) -> None:
    child = make_child(household=make_household(), age=9)
    grant(child, JEUGDFONDS_CODE)
    earlier = child_course_edition(price="450.00")
    enrolled(
        earlier,
        child,
        price_full=Decimal("450.00"),
        price_due=Decimal("0.00"),
        fund_amount=Decimal("450.00"),
        scheme=schemes[JEUGDFONDS_CODE],
    )
    edition = child_course_edition(starts_on=earlier.starts_on, ends_on=earlier.ends_on)
    result = quote(edition=edition, participant=child)
    assert result.price_due == Decimal("120.00") and result.fund_amount == 0
    assert result.scheme is None and result.uses_reduced_place is False


def test_volwassenenfonds_pays_for_an_adult_up_to_its_maximum(schemes: dict) -> None:
    adult = make_adult()
    grant(adult, VOLWASSENENFONDS_CODE)
    result = quote(edition=make_edition(price="200.00"), participant=adult)
    assert result.fund_amount == Decimal("150.00")
    assert result.price_due == Decimal("50.00")
    assert result.scheme == schemes[VOLWASSENENFONDS_CODE]


def test_volwassenenfonds_is_not_for_children(schemes: dict) -> None:
    child = make_child(household=make_household(), age=12)
    grant(child, VOLWASSENENFONDS_CODE)
    assert quote(edition=child_course_edition(), participant=child).fund_amount == 0


def test_the_cjp_budget_is_never_used_for_an_individual(schemes: dict) -> None:
    child = make_child(household=make_household(), age=12)
    result = quote(edition=child_course_edition(), participant=child)
    assert result.scheme is None
    with pytest.raises(ValidationError) as error:
        quote(edition=child_course_edition(), participant=child, scheme_code="cjp-cultuurkaart")
    assert "school bookings only" in str(error.value)


def test_the_family_discount_starts_with_the_second_member_in_the_same_school_year(
    schemes: dict,
) -> None:
    household = make_household()
    first = make_child(household=household, age=9, given_name="Lotte")
    second = make_child(household=household, age=11, given_name="Daan")
    edition = child_course_edition()
    assert quote(edition=edition, participant=first).scheme is None
    enrolled(edition, first, price_full=Decimal("120.00"), price_due=Decimal("120.00"))

    other = child_course_edition(price="80.00")
    result = quote(edition=other, participant=second)
    assert result.scheme == schemes[FAMILY_DISCOUNT_CODE]
    assert result.price_due == Decimal("72.00")
    assert "Family discount: 10% off (€ 8.00)" in result.explanation
    # The first member's own second course is not a second member.
    assert quote(edition=other, participant=first).scheme is None


def test_the_family_discount_ignores_another_school_year(schemes: dict) -> None:
    household = make_household()
    first = make_child(household=household, age=9)
    second = make_child(household=household, age=11, given_name="Daan")
    edition = child_course_edition()
    last_year = child_course_edition(
        starts_on=edition.starts_on - timedelta(days=400),
        ends_on=edition.starts_on - timedelta(days=300),
    )
    assert school_year_label(last_year.starts_on) != school_year_label(edition.starts_on)
    enrolled(last_year, first, price_full=Decimal("120.00"), price_due=Decimal("120.00"))
    assert quote(edition=edition, participant=second).scheme is None


def test_the_senior_discount_from_65(schemes: dict) -> None:
    start = timezone.localdate() + timedelta(days=14)
    senior = make_adult(birth_date=date(start.year - 70, 1, 1))
    result = quote(edition=make_edition(), participant=senior)
    assert result.scheme == schemes[SENIOR_DISCOUNT_CODE]
    assert result.price_due == Decimal("102.00")
    assert result.fund_amount == 0
    younger = make_adult(birth_date=date(start.year - 60, 1, 1))
    assert quote(edition=make_edition(), participant=younger).scheme is None


def test_schemes_that_do_not_stack_give_the_cheapest_for_the_participant(schemes: dict) -> None:
    start = timezone.localdate() + timedelta(days=14)
    senior = make_adult(birth_date=date(start.year - 70, 1, 1))
    grant(senior, VOLWASSENENFONDS_CODE)
    result = quote(edition=make_edition(price="100.00"), participant=senior)
    # Volwassenenfonds (pays € 100) beats the senior discount (€ 15 off); not both.
    assert result.scheme == schemes[VOLWASSENENFONDS_CODE]
    assert result.price_due == Decimal("0.00") and result.fund_amount == Decimal("100.00")
    assert not any("Senior" in line for line in result.explanation)


def test_stackable_schemes_combine_discount_first_then_the_fund(schemes: dict) -> None:
    household = make_household()
    first = make_child(household=household, age=9)
    second = make_child(household=household, age=11, given_name="Daan")
    grant(second, JEUGDFONDS_CODE)
    edition = child_course_edition()
    enrolled(edition, first, price_full=Decimal("120.00"), price_due=Decimal("120.00"))
    result = quote(edition=child_course_edition(), participant=second)
    # Both are stackable: 10% off, the fund pays the remaining € 108 (less from the fund
    # than € 120 for the same € 0 due).
    assert result.price_due == Decimal("0.00")
    assert result.fund_amount == Decimal("108.00")
    assert result.scheme == schemes[JEUGDFONDS_CODE]
    assert "Family discount: 10% off (€ 12.00)" in result.explanation


def test_scheme_code_asks_for_one_scheme(schemes: dict) -> None:
    household_adult = make_adult(birth_date=date(1940, 1, 1))
    household = household_adult.household
    enrolled(
        make_edition(), household_adult, price_full=Decimal("120.00"), price_due=Decimal("102.00")
    )
    partner = Participant.objects.create(
        household=household,
        user=make_user(),
        given_name="Jan",
        family_name="Smeets",
        birth_date=date(1945, 1, 1),
    )
    edition = make_edition()
    assert quote(edition=edition, participant=partner).scheme == schemes[SENIOR_DISCOUNT_CODE]
    chosen = quote(edition=edition, participant=partner, scheme_code=FAMILY_DISCOUNT_CODE)
    assert chosen.scheme == schemes[FAMILY_DISCOUNT_CODE]
    assert chosen.price_due == Decimal("108.00")


def test_a_scheme_code_that_does_not_apply_gets_a_clear_message(schemes: dict) -> None:
    adult = make_adult()
    with pytest.raises(ValidationError) as error:
        quote(edition=make_edition(), participant=adult, scheme_code=VOLWASSENENFONDS_CODE)
    assert "needs a valid, verified entitlement" in str(error.value.message_dict["scheme_code"])
    with pytest.raises(ValidationError) as unknown:
        quote(edition=make_edition(), participant=adult, scheme_code="no-such-scheme")
    assert "no-such-scheme" in str(unknown.value.message_dict["scheme_code"])


def test_when_the_reduced_places_are_taken_the_full_price_applies(schemes: dict) -> None:
    child = make_child(household=make_household(), age=9)
    grant(child, JEUGDFONDS_CODE)
    edition = child_course_edition(reduced_places_max=2)
    Edition.objects.filter(pk=edition.pk).update(reduced_places_taken=2)
    edition.refresh_from_db()
    result = quote(edition=edition, participant=child)
    assert result.price_due == Decimal("120.00") and result.fund_amount == 0
    assert result.uses_reduced_place is False and result.scheme is None
    assert any("reduced-price places" in line for line in result.explanation)
    # Also when the scheme is asked for by name.
    asked = quote(edition=edition, participant=child, scheme_code=JEUGDFONDS_CODE)
    assert asked.price_due == Decimal("120.00")


def test_an_inactive_scheme_never_applies(schemes: dict) -> None:
    start = timezone.localdate() + timedelta(days=14)
    senior = make_adult(birth_date=date(start.year - 70, 1, 1))
    DiscountScheme.objects.filter(code=SENIOR_DISCOUNT_CODE).update(is_active=False)
    assert quote(edition=make_edition(), participant=senior).scheme is None


def test_amounts_round_half_up_to_cents(schemes: dict) -> None:
    start = timezone.localdate() + timedelta(days=14)
    senior = make_adult(birth_date=date(start.year - 70, 1, 1))
    result = quote(edition=make_edition(price="33.30"), participant=senior)
    # 15% of 33.30 = 4.995 -> 5.00 off (half up), 28.30 due.
    assert result.price_due == Decimal("28.30")
    assert money(Decimal("4.995")) == Decimal("5.00")
    assert money(Decimal("0.125")) == Decimal("0.13")


def test_an_edition_without_tariff_is_free(schemes: dict) -> None:
    edition = make_edition()
    edition.tariffs.all().delete()
    result = quote(edition=edition, participant=make_adult())
    assert result.tariff is None and result.price_due == Decimal("0.00")


def test_the_explanation_follows_the_language(schemes: dict) -> None:
    with translation.override("nl"):
        result = quote(edition=make_edition(), participant=make_adult())
    # Dutch money: a decimal comma.
    assert "€ 120,00" in result.explanation[0]
    assert "Standaard" in result.explanation[0]  # the tariff label in Dutch


def _set_yearly_maximum(scheme: DiscountScheme, amount: str) -> None:
    scheme.max_amount_per_year = Decimal(amount)
    scheme.save(update_fields=["max_amount_per_year"])


def test_a_capped_discount_stacked_under_a_fund_counts_what_it_gave_itself(
    schemes: dict,
) -> None:
    """The enrolment records the fund, but the family discount's own yearly maximum still
    counts the € 12 it gave: the next course of the year gets only the € 3 left of it."""
    from reisgezel.learning.services.enrolment import enrol

    _set_yearly_maximum(schemes[FAMILY_DISCOUNT_CODE], "15.00")
    household = make_household()
    first = make_child(household=household, age=9)
    second = make_child(household=household, age=11, given_name="Daan")
    grant(second, JEUGDFONDS_CODE)
    enrolled(child_course_edition(), first, price_full=Decimal("120.00"), price_due=Decimal("120"))
    guardian = household.guardians.get().user
    stacked = enrol(actor=guardian, edition=child_course_edition(), participant=second)
    assert isinstance(stacked, Enrolment)
    assert stacked.scheme == schemes[JEUGDFONDS_CODE]
    assert (stacked.fund_amount, stacked.price_due) == (Decimal("108.00"), Decimal("0.00"))

    result = quote(edition=child_course_edition(), participant=second)
    assert "Family discount: 10% off (€ 3.00)" in result.explanation
    assert result.fund_amount == Decimal("117.00") and result.price_due == Decimal("0.00")


def test_a_capped_discount_applies_after_the_other_discounts(schemes: dict) -> None:
    """Stacked discounts each take their share of what the others left; one with a yearly
    maximum comes last, so its maximum is measured against the price the participant
    would otherwise pay (whatever the codes' alphabetical order)."""
    capped = DiscountScheme.objects.create(
        code="a-city-pass",
        name={"nl": "Stadspas", "en": "City pass"},
        kind="discount",
        percentage=Decimal("50"),
        max_amount_per_year=Decimal("20.00"),
        needs_entitlement=False,
        stackable=True,
    )
    household = make_household()
    first = make_child(household=household, age=9)
    second = make_child(household=household, age=11, given_name="Daan")
    enrolled(child_course_edition(), first, price_full=Decimal("120.00"), price_due=Decimal("120"))
    result = quote(edition=child_course_edition(), participant=second)
    # € 120 - 10% family discount = € 108; half of that is € 54, capped at € 20: € 88.
    assert result.price_due == Decimal("88.00")
    assert result.explanation.index("Family discount: 10% off (€ 12.00)") < next(
        n for n, line in enumerate(result.explanation) if line.startswith("City pass: 50% off")
    )
    assert {scheme.code: amount for scheme, amount in result.covered} == {
        capped.code: Decimal("20.00"),
        FAMILY_DISCOUNT_CODE: Decimal("12.00"),
    }


def test_the_migration_records_what_the_named_scheme_of_older_enrolments_covered(
    schemes: dict,
) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("reisgezel.learning.migrations.0008_what_each_stacked_scheme_covered")
    child = make_child(household=make_household(), age=9)
    funded = Enrolment.objects.create(
        edition=child_course_edition(),
        participant=child,
        price_full=Decimal("120.00"),
        price_due=Decimal("0.00"),
        fund_amount=Decimal("108.00"),
        scheme=schemes[JEUGDFONDS_CODE],
    )
    discounted = Enrolment.objects.create(
        edition=child_course_edition(),
        participant=child,
        price_full=Decimal("80.00"),
        price_due=Decimal("72.00"),
        scheme=schemes[FAMILY_DISCOUNT_CODE],
    )
    Enrolment.objects.create(
        edition=child_course_edition(),
        participant=child,
        price_full=Decimal("80.00"),
        price_due=Decimal("80.00"),
    )
    migration.record_what_schemes_covered(apps, None)
    assert sorted(SchemeUse.objects.values_list("enrolment_id", "scheme__code", "amount")) == [
        (funded.pk, JEUGDFONDS_CODE, Decimal("108.00")),
        (discounted.pk, FAMILY_DISCOUNT_CODE, Decimal("8.00")),
    ]
