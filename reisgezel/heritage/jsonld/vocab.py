"""Getty AAT terms used by the Linked Art documents.

Every id below is taken from the Linked Art documentation ("Required" and
"Recommended" vocabulary pages, the object model pages) or from cromulent, the Linked
Art reference library. Nothing here is guessed; terms we could not verify are not used.
"""

from __future__ import annotations

AAT = "http://vocab.getty.edu/aat/"

# Names and identifiers
PRIMARY_NAME = AAT + "300404670"
DISPLAY_NAME = AAT + "300404669"
SORT_NAME = AAT + "300451544"
ACCESSION_NUMBER = AAT + "300312355"
SYSTEM_NUMBER = AAT + "300435704"

# Statements (referred_to_by), each also classified with the meta-type "brief text"
BRIEF_TEXT = AAT + "300418049"
DESCRIPTION = AAT + "300435416"
CREDIT_LINE = AAT + "300026687"
RIGHTS_STATEMENT = AAT + "300435434"
PROVENANCE_STATEMENT = AAT + "300435438"
DIMENSIONS_STATEMENT = AAT + "300435430"
MARKINGS_STATEMENT = AAT + "300435420"
INSCRIPTION_STATEMENT = AAT + "300435414"
SIGNATURE_STATEMENT = AAT + "300028705"
PRODUCTION_STATEMENT = AAT + "300435436"
BIOGRAPHY_STATEMENT = AAT + "300435422"

# Classifications of entities
TYPE_OF_WORK = AAT + "300435443"
COLLECTION_ITEM = AAT + "300404024"
COLLECTION_SET = AAT + "300025976"
DIGITAL_IMAGE = AAT + "300215302"
WEB_PAGE = AAT + "300264578"

# Dimensions and their units
DIMENSION_TYPES: dict[str, tuple[str, str]] = {
    "height": (AAT + "300055644", "height"),
    "width": (AAT + "300055647", "width"),
    "depth": (AAT + "300072633", "depth"),
    "diameter": (AAT + "300055624", "diameter"),
    "length": (AAT + "300055645", "length"),
    "weight": (AAT + "300056240", "weight"),
}
UNITS: dict[str, tuple[str, str]] = {
    "mm": (AAT + "300379097", "millimetres"),
    "cm": (AAT + "300379098", "centimetres"),
    "m": (AAT + "300379099", "metres"),
    "g": (AAT + "300379225", "grams"),
    "kg": (AAT + "300379226", "kilograms"),
}
# UN/CEFACT common codes for schema.org QuantitativeValue.unitCode
UNIT_CODES = {"mm": "MMT", "cm": "CMT", "m": "MTR", "g": "GRM", "kg": "KGM"}

# Languages of our content (Linked Art `language` on names and statements)
LANGUAGES: dict[str, tuple[str, str]] = {
    "nl": (AAT + "300388256", "Dutch"),
    "en": (AAT + "300388277", "English"),
    "de": (AAT + "300388344", "German"),
    "fr": (AAT + "300388306", "French"),
}
