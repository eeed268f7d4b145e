"""A person deletes their own account (AVG/GDPR art. 17), or an administrator does it
for them (`account_erase_by_staff`, the user admin's action).

Each app knows what of a person it holds, and registers an ErasureStep here (from its
AppConfig.ready; accounts may not import the apps above it):

- `blockers(user)`: what the person must do first, in their own words ("cancel your
  enrolment in ..."): things that involve others (a place in a course, a booked room)
  are ended by the person through the pages made for that, not silently by erasure;
- `erase(user)`: delete or anonymise what the app holds of the person. Records other
  people or the books rely on (enrolments paid for, bookings invoiced) stay, without
  the person's name: they point at the account row, which is kept but emptied.

- `records(user)` (optional): the records of the person `erase` deletes or
  anonymises, asked before it runs: their audit entries lose their texts.

`account_erase` runs every step in one transaction, then empties the account itself:
no name, no e-mail, no password, inactive. The audit log keeps that account <id> was
erased, not by whom it was held: entries the person made, and entries about the
account and the steps' records, keep their action, target, time and data, but their
free text (which may name the person) is removed, as are the names Django's admin log
gave them (`core.audit.audit_forget_texts`). Its sessions end on every device.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.models import ApiToken, MemberRole, Membership, User
from reisgezel.core.audit import audit_forget_texts, audit_record


def _no_records(user: Any) -> list[Any]:
    return []


@dataclass(frozen=True)
class ErasureStep:
    name: str
    blockers: Callable[[Any], list[str]]
    erase: Callable[[Any], None]
    # The records of the person `erase` deletes or anonymises (asked before it runs):
    # the audit log keeps what happened to them, without its texts (core.audit).
    records: Callable[[Any], list[Any]] = _no_records


_steps: dict[str, ErasureStep] = {}


def erasure_step_register(step: ErasureStep) -> None:
    _steps[step.name] = step


def _membership_blockers(user: User) -> list[str]:
    """The only administrator of an organisation with other members hands it over first."""
    problems = []
    administered = Membership.objects.filter(
        user=user, role=MemberRole.ADMIN, organisation__is_active=True
    ).select_related("organisation")
    for membership in administered:
        organisation = membership.organisation
        others = Membership.objects.filter(organisation=organisation).exclude(user=user)
        active_admins = others.filter(role=MemberRole.ADMIN, user__is_active=True)
        if others.exists() and not active_admins.exists():
            problems.append(
                _("Make another member administrator of %(org)s first.")
                % {"org": organisation.name}
            )
    return problems


def account_erase_blockers(user: User) -> list[str]:
    """What the person must do before their account can be erased (empty: nothing)."""
    problems = _membership_blockers(user)
    for step in _steps.values():
        problems += step.blockers(user)
    return problems


def account_erase(*, user: User, password: str) -> None:
    """Erase the account after the person confirmed with their password. Raises
    ValidationError with what must be done first, or for a wrong password."""
    if not user.check_password(password):
        raise ValidationError({"password": [_("That is not your password.")]})
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("Staff accounts are removed by an administrator, not on this page.")
        )
    _erase(user, actor=None)


def account_erase_by_staff(*, user: User, actor: User) -> None:
    """Erase an account in the admin: on the person's request made to the houses (by
    letter, at the desk: they may have lost access to their e-mail), or a staff account,
    which cannot be erased on the account page. The same steps and blockers as the
    person's own erasure; the audit log names the administrator who did it. Raises
    ValidationError saying why not."""
    if user.erased_at is not None:
        raise ValidationError(_("%(account)s is erased already.") % {"account": user})
    if user.pk == actor.pk:
        raise ValidationError(_("Your own account is erased by another administrator."))
    if (user.is_staff or user.is_superuser) and not actor.is_superuser:
        raise ValidationError(
            _("Only a superuser erases a staff account (%(account)s).") % {"account": user}
        )
    _erase(user, actor=actor)


def _erase(user: User, *, actor: User | None) -> None:
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        problems = account_erase_blockers(user)
        if problems:
            raise ValidationError(problems)
        records = [record for step in _steps.values() for record in step.records(user)]
        # How the admin log named the person's memberships in organisations' entries.
        names = [
            str(m)
            for m in Membership.objects.filter(user=user).select_related("user", "organisation")
        ]
        for step in _steps.values():
            step.erase(user)
        audit_forget_texts(account=user, records=records, names=names)
        Membership.objects.filter(user=user).delete()
        ApiToken.objects.filter(created_by=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _empty(user)
        audit_record(actor=actor, action="account.erase", target=user)


def _empty(user: User) -> None:
    # Inactive, with a new (unusable) password hash: Django ends the account's sessions
    # on every device at their next request (ModelBackend refuses inactive users, and
    # the session's hash of the password no longer matches).
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.display_name = user.first_name = user.last_name = ""
    user.is_active = False
    user.awaiting_confirmation = False
    user.is_moderator = False
    user.is_staff = user.is_superuser = False
    # Marked, so that nothing switches it on again (a database constraint keeps it so).
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
