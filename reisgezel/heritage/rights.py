"""Rights statements: every record and every media file carries one URI.

Only Creative Commons tools and RightsStatements.org statements are accepted, in their
canonical form, so that harvesters (Europeana, the NDE register, IIIF viewers) can read
them without a lookup table. `is_reusable` tells whether anyone may reuse the work
without asking (it drives the "reusable" facet and the download button).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rights:
    uri: str
    code: str
    label: str | Promise
    reusable: bool


RIGHTS: tuple[Rights, ...] = (
    Rights(
        "http://creativecommons.org/publicdomain/zero/1.0/", "cc0", _("Public domain (CC0)"), True
    ),
    Rights(
        "http://creativecommons.org/publicdomain/mark/1.0/", "pdm", _("Public domain mark"), True
    ),
    Rights("http://creativecommons.org/licenses/by/4.0/", "cc-by", _("CC BY 4.0"), True),
    Rights("http://creativecommons.org/licenses/by-sa/4.0/", "cc-by-sa", _("CC BY-SA 4.0"), True),
    Rights("http://creativecommons.org/licenses/by-nc/4.0/", "cc-by-nc", _("CC BY-NC 4.0"), False),
    Rights(
        "http://creativecommons.org/licenses/by-nc-sa/4.0/",
        "cc-by-nc-sa",
        _("CC BY-NC-SA 4.0"),
        False,
    ),
    Rights("http://creativecommons.org/licenses/by-nd/4.0/", "cc-by-nd", _("CC BY-ND 4.0"), False),
    Rights(
        "http://creativecommons.org/licenses/by-nc-nd/4.0/",
        "cc-by-nc-nd",
        _("CC BY-NC-ND 4.0"),
        False,
    ),
    Rights("http://rightsstatements.org/vocab/InC/1.0/", "inc", _("In copyright"), False),
    Rights(
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
        "inc-edu",
        _("In copyright, educational use permitted"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/InC-NC/1.0/",
        "inc-nc",
        _("In copyright, non-commercial use permitted"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/InC-OW-EU/1.0/",
        "inc-ow-eu",
        _("In copyright, EU orphan work"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/InC-RUU/1.0/",
        "inc-ruu",
        _("In copyright, rights-holder(s) unlocatable"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/NoC-NC/1.0/",
        "noc-nc",
        _("No copyright, non-commercial use only"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
        "noc-oklr",
        _("No copyright, other known legal restrictions"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
        "noc-cr",
        _("No copyright, contractual restrictions"),
        False,
    ),
    Rights(
        "http://rightsstatements.org/vocab/CNE/1.0/", "cne", _("Copyright not evaluated"), False
    ),
    Rights("http://rightsstatements.org/vocab/UND/1.0/", "und", _("Copyright undetermined"), False),
    Rights("http://rightsstatements.org/vocab/NKC/1.0/", "nkc", _("No known copyright"), True),
)

BY_URI: dict[str, Rights] = {r.uri: r for r in RIGHTS}
BY_CODE: dict[str, Rights] = {r.code: r for r in RIGHTS}
RIGHTS_CHOICES = [(r.uri, r.label) for r in RIGHTS]
DEFAULT_RIGHTS = "http://rightsstatements.org/vocab/CNE/1.0/"


def canonical_rights_uri(value: str) -> str:
    """The canonical URI for a rights value as found in the wild: https or http, with or
    without the trailing slash, a `/deed.nl` or `/legalcode` suffix, or our short code.
    Raises ValueError for anything that is not a statement we know."""
    text = (value or "").strip()
    if text.lower() in BY_CODE:
        return BY_CODE[text.lower()].uri
    uri = text.replace("https://", "http://", 1)
    for suffix in ("legalcode", "deed.nl", "deed.en", "deed.de", "deed.fr"):
        if uri.endswith("/" + suffix):
            uri = uri[: -len(suffix)]
    if not uri.endswith("/"):
        uri += "/"
    if uri in BY_URI:
        return uri
    raise ValueError(f"unknown rights statement {value!r}")


def validate_rights_uri(value: str) -> None:
    if value not in BY_URI:
        raise ValidationError(
            _("Use a Creative Commons or RightsStatements.org URI, e.g. %(example)s."),
            params={"example": RIGHTS[2].uri},
            code="rights",
        )


def is_reusable(uri: str) -> bool:
    rights = BY_URI.get(uri)
    return bool(rights and rights.reusable)


def rights_label(uri: str) -> str:
    rights = BY_URI.get(uri)
    return str(rights.label) if rights else uri
