"""OAI-PMH error conditions (protocol section 3.6). They are answers, not failures:
the response is HTTP 200 with one or more <error> elements."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_ARGUMENT = "badArgument"
    BAD_RESUMPTION_TOKEN = "badResumptionToken"  # noqa: S105 (an error code, not a secret)
    BAD_VERB = "badVerb"
    CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
    ID_DOES_NOT_EXIST = "idDoesNotExist"
    NO_RECORDS_MATCH = "noRecordsMatch"
    NO_METADATA_FORMATS = "noMetadataFormats"
    NO_SET_HIERARCHY = "noSetHierarchy"


class OaiError(Exception):
    """One or more protocol errors; `errors` keeps their order for the response."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.errors: list[tuple[ErrorCode, str]] = [(code, message)]

    @property
    def echo_arguments(self) -> bool:
        """The spec forbids echoing the request's arguments after badVerb/badArgument."""
        return not any(
            code in (ErrorCode.BAD_VERB, ErrorCode.BAD_ARGUMENT) for code, _ in self.errors
        )

    def add(self, code: ErrorCode, message: str) -> None:
        self.errors.append((code, message))
