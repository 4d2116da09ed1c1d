"""Checks shared by the services that change a response or its evidence."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from evaluations.models import Response, ResponseStatus, Stage
from forums.models import User
from forums.permissions import can_fill_response

from .cycles import require_fill_window
from .errors import InvalidTransition, StaleVersion

EDITABLE = frozenset({ResponseStatus.DRAFT, ResponseStatus.REVISION_REQUESTED})
WAITING = frozenset({ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED})


def lock_response(response: Response) -> Response:
    """The response row re-read under a row lock (held until the transaction ends)."""
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment__cycle", "assessment__regency", "indicator")
        .get(pk=response.pk)
    )


def is_editable(response: Response) -> bool:
    return response.status in EDITABLE


def was_accepted(response: Response) -> bool:
    """Accepted at some stage: past the kabupaten stage, or finally accepted.

    Such a response changes only through the review workflow or a recorded correction
    (services.corrections), never through the admin's change form.
    """
    return response.status == ResponseStatus.ACCEPTED or response.stage != Stage.KABUPATEN


def require_fillable(actor: User, response: Response) -> None:
    """The actor fills this response, it is not under review, and the window allows it."""
    if not can_fill_response(actor, response):
        raise PermissionDenied
    if not is_editable(response):
        raise InvalidTransition(_("Jawaban ini sedang diverifikasi atau sudah diterima, sehingga tidak dapat diubah."))
    require_fill_window(response)


def require_version(response: Response, version: int | str | None) -> None:
    """Refuse a decision or edit made on an out-of-date copy of the response."""
    if version is None:
        return
    if int(version) != response.version:
        who = response.updated_by or _("pengguna lain")
        raise StaleVersion(
            _(
                "Jawaban ini sudah diubah oleh %(who)s sejak halaman Anda dimuat. "
                "Periksa isi terbaru, lalu ulangi tindakan Anda."
            )
            % {"who": who}
        )
