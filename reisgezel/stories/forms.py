"""Forms of the stories pages: they convert input into a StoryInput and Uploads; the
rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from reisgezel.agenda.models import Event, ModerationState
from reisgezel.heritage.models import HeritageObject
from reisgezel.places.models import Neighbourhood, Place
from reisgezel.stories.media import MAX_PHOTOS
from reisgezel.stories.models import About, Licence, ReportReason, Story, StoryLanguage
from reisgezel.stories.services import StoryInput, Uploads

HONEYPOT = "website"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Your story"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the story"), choices=StoryLanguage.choices, initial="nl"
    )
    about = forms.ChoiceField(
        label=_("What is your story about?"),
        choices=About.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.filter(is_private=False),
        required=False,
        empty_label=_("(no place)"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label=_("(no neighbourhood)"),
        help_text=_("Also for a story about your own life: in which neighbourhood?"),
    )
    heritage_object = forms.ModelChoiceField(
        label=_("Object in the collection"),
        queryset=HeritageObject.objects.filter(is_public=True),
        to_field_name="pid",
        required=False,
        widget=forms.TextInput,
        help_text=_("The code at the end of the object's web address, e.g. nhmm-mosasaurus."),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.filter(moderation=ModerationState.APPROVED),
        required=False,
        widget=forms.NumberInput,
        help_text=_("The number in the event's web address."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    is_home_location = forms.BooleanField(
        label=_("This location is a home address"),
        required=False,
        help_text=_("We then show only the neighbourhood, never the address."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("At most %(n)s photos: JPEG, PNG or WebP, up to 10 MB each.")
        % {"n": MAX_PHOTOS},
    )
    photo_description = forms.CharField(
        label=_("What is in the photos?"), max_length=300, required=False
    )
    audio = forms.FileField(
        label=_("Audio recording"),
        required=False,
        help_text=_("MP3, Ogg, M4A or WAV, up to 20 MB."),
    )
    audio_description = forms.CharField(
        label=_("What is in the recording?"), max_length=300, required=False
    )
    display_name = forms.CharField(
        label=_("Name shown with the story"),
        max_length=120,
        required=False,
        help_text=_("Your name or a pseudonym. Leave empty to be shown as anonymous."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("We send you a link to confirm it. We never show it."),
    )
    licence = forms.ChoiceField(
        label=_("How may others use your story?"),
        choices=Licence.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    people_consent = forms.BooleanField(
        label=_(
            "Everyone who can be recognised in my photos or recording agreed "
            "(or nobody can be recognised)"
        ),
        required=False,
    )
    is_minor = forms.BooleanField(label=_("I am younger than 16"), required=False)
    guardian_name = forms.CharField(
        label=_("Name of a parent or guardian"), max_length=120, required=False
    )
    guardian_email = forms.EmailField(
        label=_("E-mail address of a parent or guardian"),
        required=False,
        help_text=_("We ask them for consent before your story is published."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, has_account: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_account:
            del self.fields["email"]

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def story_input(self) -> StoryInput:
        d = self.cleaned_data

        def pk(name: str) -> int | None:
            return d[name].pk if d.get(name) is not None else None

        return StoryInput(
            title=d.get("title") or "",
            text=d.get("text") or "",
            about=d.get("about") or "",
            licence=d.get("licence") or "",
            language=d.get("language") or "nl",
            display_name=d.get("display_name") or "",
            email=d.get("email") or "",
            people_consent=bool(d.get("people_consent")),
            is_minor=bool(d.get("is_minor")),
            guardian_name=d.get("guardian_name") or "",
            guardian_email=d.get("guardian_email") or "",
            place_id=pk("place"),
            neighbourhood_id=pk("neighbourhood"),
            heritage_object_id=pk("heritage_object"),
            event_id=pk("event"),
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            is_home_location=bool(d.get("is_home_location")),
        )

    def uploads(self) -> Uploads:
        description = self.cleaned_data.get("photo_description") or ""
        photos = [(f.read(), description) for f in self.cleaned_data.get("photos") or []]
        audio_file = self.cleaned_data.get("audio")
        audio = (
            (audio_file.read(), self.cleaned_data.get("audio_description") or "")
            if audio_file
            else None
        )
        return Uploads(photos=photos, audio=audio)

    @staticmethod
    def initial_from(story: Story) -> dict[str, Any]:
        return {
            "title": story.title,
            "text": story.text,
            "language": story.language,
            "about": story.about,
            "place": story.place_id,
            "neighbourhood": story.neighbourhood_id,
            "heritage_object": story.heritage_object.pid if story.heritage_object else None,
            "event": story.event_id,
            "latitude": story.latitude,
            "longitude": story.longitude,
            "is_home_location": story.is_home_location,
            "display_name": story.display_name,
            "licence": story.licence,
            "people_consent": story.people_consent,
            "is_minor": story.is_minor,
            "guardian_name": story.guardian_name,
            "guardian_email": story.guardian_email,
        }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    email = forms.EmailField(label=_("Your e-mail address (optional)"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the contributor"), widget=forms.Textarea(attrs={"rows": 3})
    )


class StoryFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All neighbourhoods"),
    )
    about = forms.ChoiceField(
        label=_("About"), choices=[("", _("Everything")), *About.choices], required=False
    )
