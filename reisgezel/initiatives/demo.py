"""Demo data for partner profiles and initiatives (`manage.py load_initiatives_demo`).

Runs after `load_demo_data` (it needs its organisations, buurten and house editors).
Idempotent: profiles are set to the same values again, residents are found by username
and initiatives by (initiator, title); an initiative that exists is left as it is.
Everything goes through the services, so audit entries and the search index follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from reisgezel.accounts.models import Organisation, OrganisationKind, User
from reisgezel.accounts.profiles import ProfileInput, organisation_profile_update
from reisgezel.core.i18n import language_map
from reisgezel.initiatives.models import Initiative, InitiativeState
from reisgezel.initiatives.services import (
    initiative_assign_coach,
    initiative_change_state,
    initiative_note_add,
    initiative_submit,
)
from reisgezel.places.models import Neighbourhood

RESIDENT_PASSWORD = "resident-demo-pass"  # noqa: S105 (demo only, documented)
S = InitiativeState

# name of a demo organisation -> profile values (buurten by name)
PROFILES: dict[str, dict[str, Any]] = {
    "Buurtkoor Malberg": {
        "audience": {"nl": "Iedereen die graag zingt", "en": "Everyone who likes to sing"},
        "age_min": 16,
        "active_in": ["Malberg", "Caberg", "Dousberg-Hazendans"],
        "contact_person": "Demo: Maria Janssen",
        "open_for_members": True,
        "members_note": {
            "nl": "We repeteren op dinsdagavond in het buurthuis. Nieuwe tenoren welkom!",
            "en": "We rehearse on Tuesday evenings in the community centre. New tenors welcome!",
        },
        "wants_volunteers": True,
        "volunteers_note": {
            "nl": "Wie helpt bij de koffie tijdens onze concerten?",
            "en": "Who helps with the coffee during our concerts?",
        },
    },
    "Buurtharmonie Heer": {
        "audience": {"nl": "Muzikanten van alle niveaus", "en": "Musicians of every level"},
        "age_min": 8,
        "active_in": ["Heer", "De Heeg", "Vroendaal"],
        "contact_person": "Demo: Jos Vliegen",
        "open_for_members": True,
        "members_note": {
            "nl": "Speel je een blaasinstrument of slagwerk? Kom een keer meespelen.",
            "en": "Do you play a wind instrument or percussion? Come and play along.",
        },
    },
    "Buurtatelier Wittevrouwenveld": {
        "audience": {"nl": "Buurtbewoners, jong en oud", "en": "Residents, young and old"},
        "age_min": 6,
        "age_max": 99,
        "active_in": ["Wittevrouwenveld", "Nazareth", "Wyckerpoort"],
        "contact_person": "Demo: Fatima El Amrani",
        "wants_volunteers": True,
        "volunteers_note": {
            "nl": "We zoeken vrijwilligers die op woensdagmiddag kinderen begeleiden.",
            "en": "We are looking for volunteers to guide children on Wednesday afternoons.",
        },
    },
    "Mastreechter Staar": {
        "audience": {"nl": "Mannen die graag zingen", "en": "Men who like to sing"},
        "age_min": 18,
        "active_in": ["Binnenstad"],
        "open_for_members": True,
        "members_note": {"nl": "Nieuwe zangers zijn welkom bij een proefrepetitie."},
    },
}


@dataclass(frozen=True)
class DemoIdea:
    username: str
    title: str
    description: str
    help_needed: tuple[str, ...]
    neighbourhood: str | None
    path: tuple[str, ...] = ()  # the states it moves through after "new"
    reason: str = ""
    coached: bool = False
    notes: tuple[str, ...] = ()


IDEAS = [
    DemoIdea(
        "bewoner-anna",
        "Zomerfeest op het Ambyerplein",
        "Een middag met muziek van de harmonie, een kinderatelier en eten uit de buurt.",
        ("place", "money", "publicity"),
        "Amby",
    ),
    DemoIdea(
        "bewoner-sem",
        "Een jongerenkoor in Malberg",
        "Jongeren tussen 14 en 20 zingen popliedjes, één keer per week na school.",
        ("place", "contacts", "advice"),
        "Malberg",
        path=(S.IN_CONVERSATION,),
        coached=True,
        notes=("Buurtkoor Malberg wil de zaal op woensdag delen.",),
    ),
    DemoIdea(
        "bewoner-fatima",
        "Tentoonstelling: foto's van Wittevrouwenveld vroeger en nu",
        "Oude foto's van bewoners naast nieuwe foto's van dezelfde plek.",
        ("place", "publicity"),
        "Wittevrouwenveld",
        path=(S.IN_CONVERSATION, S.SUPPORTED),
        coached=True,
        notes=("Centre Céramique biedt de vitrine in de hal aan.", "Subsidie aangevraagd."),
    ),
    DemoIdea(
        "bewoner-anna",
        "Dialectvoorleesmiddag in de bibliotheek",
        "Bewoners lezen verhalen voor in het Mestreechs, voor kinderen en ouderen.",
        ("advice",),
        None,
        path=(S.IN_CONVERSATION, S.SUPPORTED, S.REALISED),
        coached=True,
    ),
    DemoIdea(
        "bewoner-sem",
        "Vuurwerkshow boven de Maas",
        "Elke zaterdag vuurwerk boven de Maas, voor iedereen.",
        ("money",),
        "Binnenstad",
        path=(S.DECLINED,),
        reason=(
            "Vuurwerk valt buiten wat de huizen kunnen steunen en mag niet wekelijks. "
            "Een lichtjesavond met de buurt kunnen we wel samen bekijken."
        ),
    ),
]


@dataclass
class InitiativesDemoReport:
    profiles: int = 0
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Profiles set on {self.profiles} organisations.",
            f"Initiatives created: {len(self.created)}; already there: {len(self.skipped)}.",
            f"Residents (password {RESIDENT_PASSWORD}): "
            + ", ".join(sorted({idea.username for idea in IDEAS})),
        ]


def _buurten(names: list[str]) -> list[Neighbourhood]:
    return list(Neighbourhood.objects.filter(name__in=names))


class DemoPrerequisiteError(Exception):
    """The agenda demo (its staff user) must be loaded first."""


def _staff() -> User:
    """The acting staff member: the demo admin, else any active staff user."""
    staff = User.objects.filter(username="admin", is_active=True).first()
    staff = staff or User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if staff is None:
        raise DemoPrerequisiteError("No staff user: run `manage.py load_demo_data` first.")
    return staff


def _coach(staff: User) -> User:
    """A coach from a house (Centre Céramique's editor in the agenda demo), else staff."""
    member = (
        User.objects.filter(is_active=True, memberships__organisation__kind=OrganisationKind.HOUSE)
        .order_by("username")
        .first()
    )
    return member or staff


def _profile_values(values: dict[str, Any]) -> dict[str, Any]:
    """The PROFILES entry as ProfileInput keywords: texts become language maps."""
    return {
        key: language_map(value) if isinstance(value, dict) else value
        for key, value in values.items()
        if key != "active_in"
    }


def _set_profiles(staff: User, report: InitiativesDemoReport) -> None:
    for name, values in PROFILES.items():
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            continue
        data = ProfileInput(
            description=language_map(org.description),
            disciplines=list(org.disciplines.all()),
            website=org.website,
            email=org.email,
            phone=org.phone,
            **_profile_values(values),
            active_in=_buurten(values.get("active_in", [])),
        )
        organisation_profile_update(actor=staff, organisation=org, data=data)
        report.profiles += 1


def _resident(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            display_name=username.removeprefix("bewoner-").capitalize(),
            password=make_password(RESIDENT_PASSWORD),
        )
    return user


def _create_idea(idea: DemoIdea, staff: User, coach: User) -> Initiative:
    initiative = initiative_submit(
        actor=_resident(idea.username),
        title=idea.title,
        description=idea.description,
        help_needed=list(idea.help_needed),
        neighbourhood=Neighbourhood.objects.filter(name=idea.neighbourhood).first()
        if idea.neighbourhood
        else None,
    )
    if idea.coached:
        initiative_assign_coach(actor=staff, initiative=initiative, coach=coach)
    for text in idea.notes:
        initiative_note_add(actor=staff, initiative=initiative, text=text)
    for state in idea.path:
        initiative_change_state(
            actor=staff,
            initiative=initiative,
            to_state=state,
            reason=idea.reason if state == S.DECLINED else "",
        )
    return initiative


@transaction.atomic
def load_initiatives_demo() -> InitiativesDemoReport:
    report = InitiativesDemoReport()
    staff = _staff()
    _set_profiles(staff, report)
    coach = _coach(staff)
    for idea in IDEAS:
        exists = Initiative.objects.filter(
            initiator__username=idea.username, title=idea.title
        ).exists()
        if exists:
            report.skipped.append(idea.title)
            continue
        _create_idea(idea, staff, coach)
        report.created.append(idea.title)
    return report
