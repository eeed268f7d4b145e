"""Model and form fields for multilingual content (see reisgezel.core.i18n)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.i18n import SOURCE_LANGUAGE, LanguageMap, content_languages, language_map


class TranslatedTextWidget(forms.MultiWidget):
    """One input per language, labelled with the language code."""

    template_name = "core/widgets/translated_text.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        self.languages = content_languages()
        widget_class: type[forms.Widget] = forms.Textarea if multiline else forms.TextInput
        attrs_each = {"rows": "4"} if multiline else {}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            lang: widget_class(attrs=dict(attrs_each)) for lang in self.languages
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        value = language_map(value) if value else LanguageMap()
        return [value.get(lang, "") for lang in self.languages]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for lang, sub in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            sub["language"] = lang
            sub["attrs"]["lang"] = lang
        return context


class TranslatedFormField(forms.MultiValueField):
    def __init__(self, *, multiline: bool = False, max_length: int | None = None, **kwargs: Any):
        languages = content_languages()
        fields = [forms.CharField(required=False, max_length=max_length) for _ in languages]
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault("widget", TranslatedTextWidget(multiline=multiline))
        self.source_required = kwargs.get("required", True)
        kwargs["required"] = False
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.languages = languages

    def compress(self, data_list: list[str]) -> LanguageMap:
        if not data_list:
            data_list = [""] * len(self.languages)
        return language_map(dict(zip(self.languages, data_list, strict=True)))

    def clean(self, value: Any) -> LanguageMap:
        result = super().clean(value)
        if self.source_required and not result.get(SOURCE_LANGUAGE):
            raise ValidationError(_("The Dutch text is required."), code="required")
        return result


class TranslatedField(models.JSONField):
    """A language map stored as JSON. Dutch is the source language.

    `required=True` (the default) adds a database check that the Dutch text is present;
    Django adds it per field through `TranslatedField.constraints_for(...)` on the model.
    """

    def __init__(
        self, *args: Any, multiline: bool = False, max_length: int | None = None, **kwargs: Any
    ) -> None:
        self.multiline = multiline
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> LanguageMap:
        return language_map(super().from_db_value(value, expression, connection))

    def to_python(self, value: Any) -> LanguageMap:
        return language_map(super().to_python(value))

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(dict(language_map(value)) if value is not None else None)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if self.text_max_length:
            for lang, text in language_map(value).items():
                if len(text) > self.text_max_length:
                    raise ValidationError(
                        _("The %(lang)s text is longer than %(max)d characters."),
                        params={"lang": lang, "max": self.text_max_length},
                        code="max_length",
                    )

    def formfield(self, **kwargs: Any) -> forms.Field:
        defaults: dict[str, Any] = {
            "form_class": TranslatedFormField,
            "multiline": self.multiline,
            "max_length": self.text_max_length,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for unused in ("encoder", "decoder", "max_length_default"):
            defaults.pop(unused, None)
        return form_class(
            label=defaults.pop(
                "label", self.verbose_name.capitalize() if self.verbose_name else None
            ),
            help_text=defaults.pop("help_text", self.help_text),
            **{
                k: v
                for k, v in defaults.items()
                if k in {"multiline", "max_length", "required", "initial", "widget", "disabled"}
            },
        )


def dutch_text_present(field_name: str) -> models.CheckConstraint:
    """A check constraint: the language map in `field_name` has a Dutch entry."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__has_key": SOURCE_LANGUAGE}),
        name=f"%(app_label)s_%(class)s_{field_name}_has_dutch",
    )


# The range of a 64-bit primary key, the widest any database here stores.
_ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """Several records chosen by primary key, refusing an id no database stores.

    Django's own field hands every posted value to an `__in` lookup, which fails in the
    database (SQLite: OverflowError; a server error) for a number beyond 64 bits; such a
    value is reported like any unknown choice instead."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            # isdigit() is true for "²" too, which int() refuses: ASCII digits only.
            digits = text.removeprefix("-")
            if digits.isascii() and digits.isdigit() and int(text) not in _ID_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)
