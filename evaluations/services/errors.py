"""Domain errors raised by the services; their message is shown to the user as is."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


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
