"""Reads of a regency's evidence library."""

from __future__ import annotations

from django.db.models import Prefetch

from evaluations.models import Assessment, Document, DocumentVersion, Evidence, Response
from forums.models import Region, User
from forums.permissions import can_fill_response

from ..services.guards import is_editable


def library_documents(*, regency: Region) -> list[Document]:
    """The regency's documents, newest first, with their versions and their active links (indicator, cycle)."""
    documents = (
        Document.objects.filter(regency=regency)
        .select_related("current__uploaded_by", "created_by")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("number")),
            Prefetch(
                "links",
                queryset=Evidence.objects.filter(withdrawn_at=None)
                .select_related("response__indicator", "response__assessment__cycle")
                .order_by("-response__assessment__cycle__year", "response__indicator__sort_order"),
                to_attr="active_links",
            ),
        )
        .order_by("-created_at", "-pk")
    )
    return list(documents)


def current_assessment(*, regency: Region) -> Assessment | None:
    """The regency's assessment of the latest cycle: the one documents are linked into from the library."""
    return (
        Assessment.objects.filter(regency=regency)
        .select_related("cycle", "regency")
        .order_by("-cycle__year", "-cycle__created_at", "-pk")
        .first()
    )


def linkable_responses(*, assessment: Assessment, user: User) -> list[Response]:
    """Responses of ``assessment`` that ``user`` fills and that can still be changed, in framework order."""
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("indicator", "assessment__regency", "assessment__cycle")
        .prefetch_related("indicator__responsible_opd_kinds")
        .order_by("indicator__sort_order", "pk")
    )
    return [r for r in responses if is_editable(r) and can_fill_response(user, r)]
