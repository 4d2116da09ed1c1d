"""Domain errors raised by the services; their message is shown to the user as is."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext

from kks.textlimits import length_errors


class WorkflowError(ValidationError):
    """A business rule refused the action (message in Bahasa Indonesia)."""

    default_code = "workflow"

    def __init__(self, message: Any, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code or self.default_code, params=params)

    def __str__(self) -> str:
        return " ".join(self.messages)


class WindowClosed(WorkflowError):
    """The cycle window for this action is closed and not reopened."""

    default_code = "window_closed"


class StaleVersion(WorkflowError):
    """Someone else changed the response since the form was loaded."""

    default_code = "stale"


class InvalidTransition(WorkflowError):
    """The response is not in a state that allows the action."""

    default_code = "invalid_transition"


class TextTooLong(WorkflowError):
    """A free text is over its limit (kks/textlimits.py); the forms refuse it first."""

    default_code = "too_long"


def require_lengths(instance: Model, fields: Iterable[str]) -> None:
    """Refuse ``instance`` if any of ``fields`` holds more text than its model field allows."""
    errors = length_errors(instance, fields)
    if errors:
        raise TextTooLong(list(errors.values()))


class NoEvidenceNotConfirmed(WorkflowError):
    """Accepting a response without any evidence needs the reviewer's explicit confirmation."""

    default_code = "no_evidence"

    def __init__(self, message: Any = None, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(
            message or gettext("Indikator ini belum punya bukti dukung. Centang kotak ini bila tetap menerimanya."),
            code=code,
            params=params,
        )


class SeparationOfDuties(WorkflowError):
    """The reviewer filled or submitted this response, or decided another of its stages."""

    default_code = "separation_of_duties"

    def __init__(self, message: Any = None, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message or separation_message(), code=code, params=params)


def separation_message() -> str:
    return gettext(
        "Anda tidak dapat memutuskan jawaban ini: Anda ikut mengisi atau mengajukannya, atau sudah memutuskannya "
        "pada tingkat lain. Verifikator lain yang akan memutuskan."
    )
