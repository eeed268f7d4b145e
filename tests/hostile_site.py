"""A small site for the hostile-input crawl (tests/test_hostile_input.py).

One of each thing that has a page of its own, made with the shared factories and the
services, so that every detail, edit and staff page has something to show: a published
and a pending event, a course with an edition, a session and enrolments, a family, a
school booking, a bookable room with a booking and a closure, heritage records (object,
exhibit, dialect word), a published story in a theme, an idea, a neighbourhood.

The resident owns the private things (family, story, idea, room group and booking) and
teaches the edition, so that their pages are not only login redirects; the staff user is
a superuser (and so a member of every organisation, and a moderator).

`route_arguments` fills in the URL arguments of each named route from these objects: a
route added with arguments it does not know is counted as "not filled in" by the crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from reisgezel.accounts.models import ApiToken, Organisation, User
from reisgezel.accounts.services import api_token_create
from reisgezel.agenda.models import Event
from reisgezel.agenda.services import event_create
from reisgezel.heritage.models import (
    DialectEntry,
    DialectSense,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    PartOfSpeech,
)
from reisgezel.initiatives.models import Initiative
from reisgezel.initiatives.services import initiative_submit
from reisgezel.interop.sitemaps import SITEMAPS
from reisgezel.learning.models import (
    Course,
    Edition,
    Enrolment,
    EnrolmentKind,
    GuardianInvitation,
    Household,
    Participant,
    SchoolBooking,
    Session,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.services.invitations import guardian_invite
from reisgezel.learning.views.provider import COURSE_ACTIONS
from reisgezel.learning.views.provider_editions import EDITION_ACTIONS
from reisgezel.neighbourhoods.tests.helpers import City, make_city
from reisgezel.places.models import OpeningHours, Place, Room
from reisgezel.spaces.models import (
    BookableRoom,
    Booking,
    BookingGroup,
    Closure,
    GroupKind,
    GroupStatus,
    RoomRate,
)
from reisgezel.spaces.services import booking_request
from reisgezel.stories.models import CollectionStory, Licence, Story, StoryReport, ThemedCollection
from reisgezel.stories.services import StoryInput, story_approve, story_submit, story_token
from tests.factories import (
    event_input,
    make_organisation,
    make_place,
    make_user,
    member_of,
    moderator,
    published_event,
)
from tests.heritage_factories import ObjectFactory
from tests.learning_factories import (
    make_child,
    make_course,
    make_edition,
    make_household,
)


@dataclass
class Learning:
    course: Course
    edition: Edition
    session: Session
    household: Household
    child: Participant
    enrolment: Enrolment
    trial: Enrolment
    offer_token: str
    invitation: GuardianInvitation
    invitation_token: str
    programme: Course
    school_booking: SchoolBooking


@dataclass
class Rooms:
    bookable: BookableRoom
    group: BookingGroup
    booking: Booking
    pending_group: BookingGroup
    pending_booking: Booking
    closure: Closure


@dataclass
class Heritage:
    heritage_object: HeritageObject
    exhibit: Exhibit
    word: DialectEntry


@dataclass
class Stories:
    story: Story
    theme: ThemedCollection
    report: StoryReport


@dataclass
class Site:
    resident: User
    staff: User
    organisation: Organisation
    place: Place
    city: City
    event: Event
    pending_event: Event
    api_token: ApiToken
    api_key: str
    idea: Initiative
    learning: Learning
    rooms: Rooms
    heritage: Heritage
    stories: Stories


def _next_weekday(weekday: int, *, weeks: int = 3) -> datetime:
    """A day `weeks` weeks ahead falling on `weekday` (0 = Monday), at midnight."""
    day = timezone.localdate() + timedelta(weeks=weeks)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def _learning(resident: User, organisation: Organisation, place: Place) -> Learning:
    from reisgezel.learning.models import CourseKind, ProgrammeSlot, School

    course = make_course(provider=organisation, age_min=6, slug="boetseren")
    edition = make_edition(course=course, place=place, teacher=resident)
    start = _next_weekday(1) + timedelta(hours=19)
    session = Session.objects.create(
        edition=edition, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    household = make_household(guardian=resident)
    child = make_child(household=household)
    brother = make_child(household=household, given_name="Bram")
    enrolment = Enrolment.objects.create(edition=edition, participant=child)
    trial = Enrolment.objects.create(edition=edition, participant=brother, kind=EnrolmentKind.TRIAL)
    Edition.objects.filter(pk=edition.pk).update(places_taken=2)
    full = make_edition(
        course=course, place=place, min_participants=1, max_participants=1, places_taken=1
    )
    offer_token = "offer-token-for-the-hostile-crawl"
    WaitingListEntry.objects.create(
        edition=full,
        participant=child,
        requested_by=resident,
        state=WaitingState.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(days=2),
        offer_token=offer_token,
    )
    sent = guardian_invite(actor=resident, household=household, email="oma@example.org")
    programme = make_course(
        provider=organisation,
        kind=CourseKind.SCHOOL_PROGRAMME,
        slug="fossielen",
        age_min=6,
        age_max=12,
        grade_min=3,
        grade_max=6,
    )
    slot_start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    # One slot booked (its cancel page), one free (the booking form).
    slot, _free = (
        ProgrammeSlot.objects.create(
            course=programme,
            starts_at=slot_start + timedelta(days=days),
            ends_at=slot_start + timedelta(days=days, hours=1),
            place=place,
            max_pupils=30,
            price=Decimal("120.00"),
        )
        for days in (0, 7)
    )
    school = School.objects.create(name="De Geusselt", brin="10AB", email="info@geusselt.nl")
    school.contacts.add(resident)
    school_booking = SchoolBooking.objects.create(
        slot=slot,
        school=school,
        booked_by=resident,
        class_name="Groep 5B",
        grade=5,
        pupils=26,
        contact_email="juf@geusselt.nl",
        price=Decimal("120.00"),
    )
    return Learning(
        course=course,
        edition=edition,
        session=session,
        household=household,
        child=child,
        enrolment=enrolment,
        trial=trial,
        offer_token=offer_token,
        invitation=sent.invitation,
        invitation_token=sent.token,
        programme=programme,
        school_booking=school_booking,
    )


def _rooms(resident: User, place: Place) -> Rooms:
    for weekday in range(7):
        OpeningHours.objects.create(place=place, weekday=weekday, opens=time(9), closes=time(23))
    room = Room.objects.create(place=place, name="Atelier 1", slug="atelier-1", capacity=20)
    bookable = BookableRoom.objects.create(room=room, slug="kumulus-atelier-1")
    for kind in GroupKind.values:
        RoomRate.objects.create(bookable=bookable, group_kind=kind, hourly_rate=Decimal("12.50"))
    group = BookingGroup.objects.create(
        name="Schildersclub Anna",
        kind=GroupKind.RESIDENT,
        contact=resident,
        status=GroupStatus.APPROVED,
    )
    # A new group's request waits for the desk (its decision forms), an approved
    # group's is confirmed at once.
    pending_group = BookingGroup.objects.create(
        name="Buurtkoor Wyck", kind=GroupKind.RESIDENT, contact=resident
    )
    start = _next_weekday(1) + timedelta(hours=19)
    booking, pending_booking = (
        booking_request(
            actor=resident,
            bookable=bookable,
            group=requester,
            starts_at=start + timedelta(hours=hours),
            ends_at=start + timedelta(hours=hours + 1),
            title="Repetitie",
        )
        for requester, hours in ((group, 0), (pending_group, 2))
    )
    closed = _next_weekday(3, weeks=5).date()
    closure = Closure.objects.create(place=place, starts_on=closed, ends_on=closed)
    return Rooms(
        bookable=bookable,
        group=group,
        booking=booking,
        pending_group=pending_group,
        pending_booking=pending_booking,
        closure=closure,
    )


def _heritage() -> Heritage:
    obj = ObjectFactory()
    exhibit = Exhibit.objects.create(
        slug="sphinx", title={"nl": "Het verhaal van de Sphinx"}, is_public=True
    )
    section = ExhibitSection.objects.create(exhibit=exhibit, position=0, heading={"nl": "Borden"})
    ExhibitObject.objects.create(section=section, object=obj, position=0)
    word = DialectEntry.objects.create(lemma="hoes", slug="hoes", part_of_speech=PartOfSpeech.NOUN)
    DialectSense.objects.create(entry=word, position=0, meaning={"nl": "huis", "en": "house"})
    return Heritage(heritage_object=obj, exhibit=exhibit, word=word)


def _stories(resident: User, place: Place) -> Stories:
    data = StoryInput(
        title="Mijn oma in Wyck",
        text="Mijn oma woonde haar hele leven in Wyck, vlak bij de Maas.",
        about="own-life",
        licence=Licence.CC_BY,
        display_name="Jo",
        email=resident.email,
        people_consent=True,
        place_id=place.pk,
    )
    story = story_approve(actor=moderator(), story=story_submit(actor=resident, data=data))
    theme = ThemedCollection.objects.create(slug="sphinx", title={"nl": "De Sphinx"})
    CollectionStory.objects.create(collection=theme, story=story)
    report = StoryReport.objects.create(story=story, reason="other", details="Klopt niet.")
    return Stories(story=story, theme=theme, report=report)


def build_site() -> Site:
    resident = make_user(username="resident", first_name="Anna", last_name="Smeets")
    staff = make_user(username="staff", is_staff=True, is_superuser=True)
    organisation = make_organisation(name="Theater aan het Vrijthof", slug="theater")
    city = make_city()
    place = make_place(name="Kumulus", slug="kumulus", neighbourhood=city.wyck)
    event = published_event(organisation=organisation, place_id=place.pk)
    pending_event = event_create(
        actor=member_of(organisation),
        organisation=organisation,
        data=event_input(place_id=place.pk),
        submit=True,
    )
    api_token, api_key = api_token_create(organisation=organisation, user=staff, name="Website")
    idea = initiative_submit(
        actor=resident,
        title="Zomerfeest in de buurt",
        description="Een straatfeest met muziek van het buurtkoor.",
        help_needed=["place", "publicity"],
        neighbourhood=city.wyck,
    )
    return Site(
        resident=resident,
        staff=staff,
        organisation=organisation,
        place=place,
        city=city,
        event=event,
        pending_event=pending_event,
        api_token=api_token,
        api_key=api_key,
        idea=idea,
        learning=_learning(resident, organisation, place),
        rooms=_rooms(resident, place),
        heritage=_heritage(),
        stories=_stories(resident, place),
    )


# --- The routes' arguments ---------------------------------------------------------------

Arguments = dict[str, Any]


def route_arguments(site: Site) -> dict[str, list[Arguments]]:
    """The arguments of each route that takes any, from the site's objects."""
    event, org, learning, rooms = site.event, site.organisation, site.learning, site.rooms
    story, edition = site.stories.story, learning.edition
    one: dict[str, Arguments] = {
        "ical:event": {"uuid": event.uuid},
        "interop:dataset": {"code": site.heritage.heritage_object.collection.code},
        "agenda:event": {"pk": event.pk, "slug": event.slug},
        "agenda:organiser": {"slug": org.slug},
        "places:place": {"slug": site.place.slug},
        "heritage:object": {"pid": site.heritage.heritage_object.pid},
        "heritage:exhibit": {"slug": site.heritage.exhibit.slug},
        "heritage:word": {"slug": site.heritage.word.slug},
        "learning:course": {"slug": learning.course.slug},
        "learning:teacher_edition": {"edition_id": edition.pk},
        "learning:teacher_attendance": {
            "edition_id": edition.pk,
            "session_id": learning.session.pk,
        },
        "learning:enrol": {"edition_id": edition.pk},
        "learning:enrolment_cancel": {"pk": learning.enrolment.pk},
        "learning:enrolment_convert": {"pk": learning.trial.pk},
        "learning:offer": {"token": learning.offer_token},
        "learning:family_child_add": {"household_id": learning.household.pk},
        "learning:family_child_edit": {"pk": learning.child.pk},
        "learning:family_child_erase": {"pk": learning.child.pk},
        "learning:journey": {"participant_id": learning.child.pk},
        "learning:journey_export": {"participant_id": learning.child.pk},
        "learning:schools_booking_cancel": {"pk": learning.school_booking.pk},
        "learning:schools_book": {"slug": learning.programme.slug},
        "learning:provider_course_create": {"org_slug": org.slug},
        "learning:provider_course_edit": {"course_id": learning.course.pk},
        "learning:provider_edition_create": {"course_id": learning.course.pk},
        "learning:provider_edition_edit": {"edition_id": edition.pk},
        "learning:provider_edition_cancel": {"edition_id": edition.pk},
        "learning:provider_sessions": {"edition_id": edition.pk},
        "learning:provider_sessions_regenerate": {"edition_id": edition.pk},
        "learning:provider_session_add": {"edition_id": edition.pk},
        "learning:provider_session_move": {"session_id": learning.session.pk},
        "learning:provider_session_cancel": {"session_id": learning.session.pk},
        "learning:provider_session_restore": {"session_id": learning.session.pk},
        "learning:guardian_invite": {"household_id": learning.household.pk},
        "learning:guardian_invitation_revoke": {"pk": learning.invitation.pk},
        "learning:guardian_leave": {"household_id": learning.household.pk},
        "learning:guardian_join": {"token": learning.invitation_token},
        "spaces:room_detail": {"slug": rooms.bookable.slug},
        "spaces:room_ical": {"slug": rooms.bookable.slug},
        "spaces:booking_new": {"slug": rooms.bookable.slug},
        "spaces:booking_cancel": {"pk": rooms.booking.pk},
        "spaces:staff_group_decide": {"pk": rooms.pending_group.pk},
        "spaces:staff_booking_decide": {"pk": rooms.pending_booking.pk},
        "spaces:desk_closure_remove": {"pk": rooms.closure.pk},
        "spaces:desk_room_edit": {"slug": rooms.bookable.slug},
        "spaces:desk_room_photo_add": {"slug": rooms.bookable.slug},
        "stories:confirm": {"token": story_token(story, "confirm")},
        "stories:guardian": {"token": story_token(story, "guardian")},
        # The story has no files: the guardian's media route answers 404 for its uuid.
        "stories:guardian_media": {"token": story_token(story, "guardian"), "uuid": story.uuid},
        "stories:withdraw_link": {"token": story_token(story, "manage")},
        "stories:collection": {"slug": site.stories.theme.slug},
        "stories:edit": {"uuid": story.uuid},
        "stories:withdraw": {"uuid": story.uuid},
        "stories:send": {"uuid": story.uuid},
        "stories:moderate": {"uuid": story.uuid},
        "stories:report_resolve": {"pk": site.stories.report.pk},
        "stories:story": {"uuid": story.uuid},
        "neighbourhoods:district": {"slug": site.city.centrum.slug},
        "neighbourhoods:district_calendar": {"slug": site.city.centrum.slug},
        "neighbourhoods:neighbourhood": {"slug": site.city.wyck.slug},
        "neighbourhoods:neighbourhood_calendar": {"slug": site.city.wyck.slug},
        "partners:event_create": {"org_slug": org.slug},
        "partners:place_create": {"org_slug": org.slug},
        "partners:tokens": {"org_slug": org.slug},
        "partners:profile": {"org_slug": org.slug},
        "partners:token_revoke": {"org_slug": org.slug, "token_id": site.api_token.pk},
        "partners:event_edit": {"pk": event.pk},
        "partners:event_submit": {"pk": site.pending_event.pk},
        "partners:event_status": {"pk": event.pk},
        "partners:event_delete": {"pk": event.pk},
        "partners:event_images": {"pk": event.pk},
        "partners:moderation_decide": {"pk": site.pending_event.pk},
    }
    for name in ("detail", "staff_detail", "staff_coach", "staff_state", "staff_note"):
        one[f"initiatives:{name}"] = {"pk": site.idea.pk}
    many = {name: [arguments] for name, arguments in one.items()}
    many["interop:sitemap-section"] = [{"section": section} for section in SITEMAPS]
    many["learning:provider_course_state"] = [
        {"course_id": learning.course.pk, "action": action} for action in COURSE_ACTIONS
    ]
    many["learning:provider_edition_state"] = [
        {"edition_id": edition.pk, "action": action} for action in EDITION_ACTIONS
    ]
    return many
