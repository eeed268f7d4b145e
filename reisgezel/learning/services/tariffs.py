"""The price of an edition for a participant: the tariff, then discount schemes.

Interface for the enrolment service (H1): `quote(...) -> Quote`. It only reads; the
enrolment service stores the quote on the Enrolment and takes a reduced place under the
same conditional UPDATE as the place itself.

The rules (issue 4, DESIGN.md §5 "Discounts"):
- the lowest tariff the participant qualifies for by age at the edition's start, the
  default tariff otherwise;
- a scheme applies when it is active, the participant's age at the edition's start is in
  its range, a verified entitlement is valid on the day (unless the scheme needs none),
  and its own rule holds (family discount: another member of the household is enrolled
  in the same school year; school budgets never apply to individuals);
- funds pay a share of the price to the provider, up to a yearly maximum per participant
  that counts what the scheme already covered for them in the edition's calendar year;
  discounts take a percentage off;
- no stacking unless every scheme combined is `stackable`; stacked, discounts come first
  (those without a yearly maximum, then those with one), each taking its share of what
  the ones before it left, then the fund pays from what remains; every scheme's maximum
  counts what that scheme covered (SchemeUse), never what others stacked with it gave;
  the cheapest result for the participant wins, unless `scheme_code` asks for one scheme;
- when the edition's reduced places are all taken, the full price applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reisgezel.learning.models.enrolment import Enrolment, EnrolmentKind, EnrolmentState
from reisgezel.learning.models.offer import Edition, Tariff
from reisgezel.learning.models.people import Participant
from reisgezel.learning.models.schemes import (
    DiscountScheme,
    Entitlement,
    SchemeKind,
    SchemeUse,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

# The family discount has a rule of its own (another household member enrolled in the
# same school year); every other scheme follows from its fields alone.
FAMILY_DISCOUNT_CODE = "family-discount"

# The tariff a trial lesson costs (services/enrolment.py): never the price of the course.
TRIAL_TARIFF_CODE = "trial"

# Enrolments that count as "taken part" for yearly maxima and the family discount.
COUNTING_STATES = (EnrolmentState.ACTIVE, EnrolmentState.COMPLETED, EnrolmentState.CONVERTED)


@dataclass(frozen=True)
class Quote:
    tariff: Tariff | None
    price_full: Decimal
    price_due: Decimal
    fund_amount: Decimal
    scheme: DiscountScheme | None
    uses_reduced_place: bool
    explanation: list[str] = field(default_factory=list)
    # What each scheme covered (a discount's reduction, a fund's payment); the enrolment
    # stores it as SchemeUse rows for the schemes' yearly maxima.
    covered: tuple[tuple[DiscountScheme, Decimal], ...] = ()


def money(amount: Decimal) -> Decimal:
    """Round to cents, half up (what a cashier does)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """ "€ 120.00" in English, "€ 120,00" in Dutch."""
    return _("€ %(amount)s") % {
        "amount": number_format(money(amount), decimal_pos=2, use_l10n=True)
    }


def school_year_of(day: date) -> tuple[date, date]:
    """The school year (1 August - 31 July) a day falls in."""
    start_year = day.year if day.month >= 8 else day.year - 1
    return date(start_year, 8, 1), date(start_year + 1, 7, 31)


def school_year_label(day: date) -> str:
    """'2026-2027' for a day in that school year (SchoolBudget.school_year)."""
    start, end = school_year_of(day)
    return f"{start.year}-{end.year}"


def age_fits(tariff: Tariff, age: int) -> bool:
    """Whether the age is within the tariff's range (open ends: no limit)."""
    return (tariff.age_min is None or age >= tariff.age_min) and (
        tariff.age_max is None or age <= tariff.age_max
    )


def trial_tariff(edition: Edition) -> Tariff | None:
    return edition.tariffs.filter(code=TRIAL_TARIFF_CODE).first()


def select_tariff(*, edition: Edition, age: int) -> Tariff | None:
    """The lowest tariff the age qualifies for; the default tariff when none does. The
    trial lesson's tariff is not a price of the course (unless made the default)."""
    tariffs = list(edition.tariffs.all())
    course_tariffs = [t for t in tariffs if t.code != TRIAL_TARIFF_CODE]
    qualifying = [
        tariff
        for tariff in course_tariffs
        if not tariff.is_default
        and (tariff.age_min is not None or tariff.age_max is not None)
        and age_fits(tariff, age)
    ]
    default = next((tariff for tariff in tariffs if tariff.is_default), None)
    if default is not None:
        qualifying.append(default)
    if not qualifying:
        # Without a default tariff, an unrestricted tariff is the fallback.
        qualifying = [t for t in course_tariffs if t.age_min is None and t.age_max is None]
    if not qualifying:
        return None
    return min(qualifying, key=lambda tariff: (tariff.amount, tariff.code))


def used_this_year(
    *, scheme: DiscountScheme, participant: Participant, edition: Edition
) -> Decimal:
    """What the scheme already covered for the participant in the edition's calendar
    year (other editions only: a new quote for the same edition replaces the old one).
    Read from the enrolments' SchemeUse rows, so a fund counts what it paid and a
    discount its own reduction, also when they were stacked with other schemes."""
    total = (
        SchemeUse.objects.filter(
            scheme=scheme,
            enrolment__participant=participant,
            enrolment__state__in=COUNTING_STATES,
            enrolment__edition__starts_on__year=edition.starts_on.year,
        )
        .exclude(enrolment__edition=edition)
        .aggregate(total=Sum("amount"))["total"]
    )
    return money(Decimal(total or 0))


def has_entitlement(*, scheme: DiscountScheme, participant: Participant, on: date) -> bool:
    return Entitlement.objects.filter(
        scheme=scheme,
        participant=participant,
        valid_from__lte=on,
        valid_until__gte=on,
        revoked_at__isnull=True,
    ).exists()


def family_member_enrolled(*, participant: Participant, edition: Edition) -> bool:
    """Another member of the household takes part in an edition of the same school year."""
    first_day, last_day = school_year_of(edition.starts_on)
    return (
        Enrolment.objects.filter(
            participant__household_id=participant.household_id,
            state__in=COUNTING_STATES,
            kind=EnrolmentKind.REGULAR,
            edition__starts_on__range=(first_day, last_day),
        )
        .exclude(participant=participant)
        .exists()
    )


@dataclass(frozen=True)
class _Eligibility:
    scheme: DiscountScheme
    reason_not: str | None  # None when the scheme applies


def eligibility(
    *, scheme: DiscountScheme, participant: Participant, edition: Edition, age: int, on: date
) -> _Eligibility:
    """Whether a scheme applies, and if not a sentence that says why."""
    name = str(scheme.name)
    if not scheme.is_active:
        return _Eligibility(scheme, _("%(scheme)s is not available.") % {"scheme": name})
    if scheme.kind == SchemeKind.SCHOOL_BUDGET:
        return _Eligibility(
            scheme, _("%(scheme)s is used for school bookings only.") % {"scheme": name}
        )
    if (scheme.age_min is not None and age < scheme.age_min) or (
        scheme.age_max is not None and age > scheme.age_max
    ):
        return _Eligibility(
            scheme,
            _("%(scheme)s is not for this age (%(age)d at the start).")
            % {"scheme": name, "age": age},
        )
    if scheme.needs_entitlement and not has_entitlement(
        scheme=scheme, participant=participant, on=on
    ):
        return _Eligibility(
            scheme,
            _("%(scheme)s needs a valid, verified entitlement, and there is none.")
            % {"scheme": name},
        )
    if scheme.code == FAMILY_DISCOUNT_CODE and not family_member_enrolled(
        participant=participant, edition=edition
    ):
        return _Eligibility(
            scheme,
            _("%(scheme)s starts with the second member of a household in the same school year.")
            % {"scheme": name},
        )
    return _Eligibility(scheme, None)


@dataclass(frozen=True)
class _Outcome:
    schemes: tuple[DiscountScheme, ...]
    price_due: Decimal
    fund_amount: Decimal
    sentences: tuple[str, ...]
    covered: tuple[tuple[DiscountScheme, Decimal], ...]


def stacking_order(scheme: DiscountScheme) -> tuple[bool, bool, str]:
    """Discounts without a yearly maximum, then discounts with one, then the fund.

    Each scheme takes its share of what the ones before it left, so together they never
    take more than the price; a capped scheme comes after the others so that its maximum
    is measured against what the participant would otherwise still pay (which is also
    never dearer for them). The code only makes the order fixed."""
    return (
        scheme.kind == SchemeKind.FUND,
        scheme.max_amount_per_year is not None,
        scheme.code,
    )


def apply_schemes(
    *,
    schemes: Sequence[DiscountScheme],
    price_full: Decimal,
    participant: Participant,
    edition: Edition,
) -> _Outcome:
    """In `stacking_order`: each discount takes its percentage off what is left, then the
    fund pays a share of what remains; each within what is left of its own yearly
    maximum."""
    remaining = price_full
    fund_amount = ZERO
    sentences: list[str] = []
    covered: list[tuple[DiscountScheme, Decimal]] = []
    for scheme in sorted(schemes, key=stacking_order):
        name = str(scheme.name)
        percentage = scheme.percentage if scheme.percentage is not None else HUNDRED
        share = money(remaining * percentage / HUNDRED)
        if scheme.max_amount_per_year is not None:
            left = money(
                scheme.max_amount_per_year
                - used_this_year(scheme=scheme, participant=participant, edition=edition)
            )
            if left < share:
                share = max(left, ZERO)
                sentences.append(
                    _("%(scheme)s covers at most %(max)s a year; %(left)s of it is left.")
                    % {
                        "scheme": name,
                        "max": format_money(scheme.max_amount_per_year),
                        "left": format_money(share),
                    }
                )
        remaining -= share
        if share > ZERO:
            covered.append((scheme, share))
        if scheme.kind == SchemeKind.FUND:
            fund_amount += share
            sentences.append(
                _("%(scheme)s pays %(amount)s to the provider")
                % {"scheme": name, "amount": format_money(share)}
            )
        else:
            sentences.append(
                _("%(scheme)s: %(percentage)s%% off (%(amount)s)")
                % {
                    "scheme": name,
                    "percentage": number_format(percentage.normalize(), use_l10n=True),
                    "amount": format_money(share),
                }
            )
    return _Outcome(
        tuple(schemes), money(remaining), money(fund_amount), tuple(sentences), tuple(covered)
    )


def combinations(applicable: Sequence[DiscountScheme]) -> Iterable[tuple[DiscountScheme, ...]]:
    """Each scheme on its own, and the stackable ones together (at most one fund: an
    enrolment records one fund, which pays the provider)."""
    for scheme in applicable:
        yield (scheme,)
    stackable = [s for s in applicable if s.stackable]
    discounts = tuple(s for s in stackable if s.kind != SchemeKind.FUND)
    funds = [s for s in stackable if s.kind == SchemeKind.FUND]
    if len(discounts) >= 2:
        yield discounts
    for fund in funds:
        if discounts:
            yield (*discounts, fund)


def _primary(schemes: Sequence[DiscountScheme]) -> DiscountScheme | None:
    """The scheme recorded on the enrolment: the fund if one pays, else the first."""
    for scheme in schemes:
        if scheme.kind == SchemeKind.FUND:
            return scheme
    return schemes[0] if schemes else None


def quote(
    *,
    edition: Edition,
    participant: Participant,
    on: date | None = None,
    scheme_code: str | None = None,
) -> Quote:
    """The price for `participant` in `edition`, explained. Reads only.

    Raises ValidationError when `scheme_code` names an unknown scheme or one that does
    not apply to this participant (with the reason).
    """
    on = on or timezone.localdate()
    age = participant.age_on(edition.starts_on)
    tariff = select_tariff(edition=edition, age=age)
    price_full = money(tariff.amount) if tariff is not None else ZERO
    explanation: list[str] = []
    if tariff is not None:
        explanation.append(
            _("%(tariff)s tariff: %(amount)s")
            % {"tariff": str(tariff.label), "amount": format_money(price_full)}
        )
    else:
        explanation.append(_("This edition has no price: it is free."))

    def full_price(extra: list[str]) -> Quote:
        sentences = [
            *explanation,
            *extra,
            _("You pay %(amount)s") % {"amount": format_money(price_full)},
        ]
        return Quote(tariff, price_full, price_full, ZERO, None, False, sentences)

    if scheme_code:
        requested = DiscountScheme.objects.filter(code=scheme_code).first()
        if requested is None:
            raise ValidationError(
                {
                    "scheme_code": _("There is no discount scheme with the code “%(code)s”.")
                    % {"code": scheme_code}
                }
            )
        verdict = eligibility(
            scheme=requested, participant=participant, edition=edition, age=age, on=on
        )
        if verdict.reason_not is not None:
            raise ValidationError({"scheme_code": verdict.reason_not})
        candidates = [requested]
    else:
        candidates = [
            scheme
            for scheme in DiscountScheme.objects.filter(is_active=True).exclude(
                kind=SchemeKind.SCHOOL_BUDGET
            )
            if eligibility(
                scheme=scheme, participant=participant, edition=edition, age=age, on=on
            ).reason_not
            is None
        ]

    if price_full == ZERO or not candidates:
        return full_price([])
    if (
        edition.reduced_places_max is not None
        and edition.reduced_places_taken >= edition.reduced_places_max
    ):
        return full_price(
            [_("All reduced-price places in this edition are taken, so the full price applies.")]
        )

    outcomes = [
        apply_schemes(
            schemes=combo, price_full=price_full, participant=participant, edition=edition
        )
        for combo in combinations(candidates)
        if not scheme_code or any(s.code == scheme_code for s in combo)
    ]
    # Cheapest for the participant; on a tie, the one that costs a fund least, then the
    # simplest.
    best = min(outcomes, key=lambda o: (o.price_due, o.fund_amount, len(o.schemes)))
    if best.price_due >= price_full:
        # A fund's yearly maximum is used up: nothing to reduce.
        return full_price(list(best.sentences))
    return Quote(
        tariff=tariff,
        price_full=price_full,
        price_due=best.price_due,
        fund_amount=best.fund_amount,
        scheme=_primary(best.schemes),
        uses_reduced_place=True,
        explanation=[
            *explanation,
            *best.sentences,
            _("You pay %(amount)s") % {"amount": format_money(best.price_due)},
        ],
        covered=best.covered,
    )
