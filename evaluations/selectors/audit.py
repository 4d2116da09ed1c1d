"""The audit history of responses and assessments: who changed which field from what to what, and when.

Read from django-simple-history's historical tables (one row per saved state). Consecutive
states of the same object are compared field by field; the first recorded state of an object
is shown against nothing ("—"). A fixed number of queries however long the history is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Assessment, Cycle, Evidence, EvidenceVersion, OfficialResult, Response
from evaluations.selectors.award import POLICY_FIELDS
from tatanan.models import Indicator

ACTION_LABELS = {
    "+": gettext_lazy("dibuat"),
    "~": gettext_lazy("diubah"),
    "-": gettext_lazy("dihapus"),
}

# The fields shown per model; bookkeeping (version, updated_at, foreign keys, file names) is left out.
SHOWN_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Response: (
        "value",
        "value_provincial",
        "value_national",
        "achievement",
        "achievement_previous",
        "explanation",
        "stage",
        "status",
        "revision_due",
    ),
    Evidence: ("title", "withdrawn_at"),
    EvidenceVersion: ("number", "original_name", "content_type", "size", "sha256"),
    Assessment: (
        "status",
        "odf_kecamatan_count",
        "odf_village_count",
        "odf_stop_babs_count",
        "narrative",
        "ip_spm_met",
        "ip_spm_note",
        "innovation_adopted",
        "innovation_note",
    ),
    Cycle: POLICY_FIELDS,
    OfficialResult: ("level", "awarded_on", "decree"),
}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime.datetime
    user: Any
    subject: str
    action: str
    field: str
    field_label: str
    old: str
    new: str
    reason: str = ""
    response_id: int | None = None

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def user_label(self) -> str:
        return str(self.user) if self.user is not None else ""


def _display(field: Any, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _no_response(record: Any) -> int | None:
    return None


def _entries_of(
    records: Iterable[Any],
    model: type[models.Model],
    subject_of: Callable[[Any], str],
    response_of: Callable[[Any], int | None] = _no_response,
) -> list[AuditEntry]:
    """Diff the consecutive states of each object in ``records`` (ordered by object, then time)."""
    fields: list[Any] = [model._meta.get_field(name) for name in SHOWN_FIELDS[model]]
    entries: list[AuditEntry] = []
    previous = None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        common = {
            "at": record.history_date,
            "user": record.history_user,
            "subject": subject_of(record),
            "action": record.history_type,
            "reason": record.history_change_reason or "",
            "response_id": response_of(record),
        }
        if record.history_type == "-":
            entries.append(AuditEntry(field="", field_label="", old="", new="", **common))
        else:
            changed = False
            for field in fields:
                old = getattr(previous, field.attname) if previous is not None else None
                new = getattr(record, field.attname)
                if (old if old is not None else "") == (new if new is not None else ""):
                    continue
                changed = True
                entries.append(
                    AuditEntry(
                        field=f"{model._meta.model_name}.{field.name}",
                        field_label=_field_label(model, field),
                        old=_display(field, old),
                        new=_display(field, new),
                        **common,
                    )
                )
            if not changed and record.history_type == "+":
                entries.append(AuditEntry(field="", field_label="", old="", new="", **common))
        previous = record
    return entries


def _field_label(model: type[models.Model], field: Any) -> str:
    label = str(field.verbose_name)
    if model is Response:
        return label[:1].upper() + label[1:]
    return f"{str(model._meta.verbose_name).capitalize()}: {label}"


def _ordered(history: Any) -> Any:
    return history.select_related("history_user").order_by("id", "history_date", "history_id")


def _evidence_entries(
    evidence_history: Any, version_history: Any, code_of_response: Callable[[Any], str]
) -> list[AuditEntry]:
    evidence_records = list(_ordered(evidence_history))
    response_of_evidence = {r.id: r.response_id for r in evidence_records}
    title_of_evidence = {r.id: r.title for r in evidence_records}

    def evidence_subject(record: Any) -> str:
        return _("%(code)s · bukti «%(title)s»") % {"code": code_of_response(record.response_id), "title": record.title}

    def version_subject(record: Any) -> str:
        return _("%(code)s · bukti «%(title)s»") % {
            "code": code_of_response(response_of_evidence.get(record.evidence_id)),
            "title": title_of_evidence.get(record.evidence_id, ""),
        }

    return [
        *_entries_of(evidence_records, Evidence, evidence_subject, lambda r: r.response_id),
        *_entries_of(
            _ordered(version_history),
            EvidenceVersion,
            version_subject,
            lambda r: response_of_evidence.get(r.evidence_id),
        ),
    ]


def _newest_first(entries: list[AuditEntry]) -> list[AuditEntry]:
    return sorted(entries, key=lambda e: e.at, reverse=True)


def response_audit(response: Response) -> list[AuditEntry]:
    """Every recorded change of one response and of its evidence, newest first."""
    code = response.indicator.code
    evidence = Evidence.audit.filter(response_id=response.pk)
    entries = [
        *_entries_of(_ordered(Response.audit.filter(id=response.pk)), Response, lambda r: code, lambda r: response.pk),
        *_evidence_entries(
            evidence,
            EvidenceVersion.audit.filter(evidence_id__in=evidence.values("id")),
            lambda response_id: code,
        ),
    ]
    return _newest_first(entries)


def assessment_audit(assessment: Assessment) -> list[AuditEntry]:
    """Every recorded change of an assessment, its responses and their evidence, newest first."""
    codes = dict(Indicator.objects.filter(framework_id=assessment.cycle.framework_id).values_list("pk", "code"))
    response_history = list(_ordered(Response.audit.filter(assessment_id=assessment.pk)))
    indicator_of = {r.id: r.indicator_id for r in response_history}
    evidence = Evidence.audit.filter(response_id__in=Response.audit.filter(assessment_id=assessment.pk).values("id"))

    def code_of_response(response_id: Any) -> str:
        indicator_id = indicator_of.get(response_id)
        return codes.get(indicator_id, "?") if indicator_id is not None else "?"

    general = _("Data umum penilaian")
    entries = [
        *_entries_of(_ordered(Assessment.audit.filter(id=assessment.pk)), Assessment, lambda r: general),
        *_entries_of(response_history, Response, lambda r: codes.get(r.indicator_id, "?"), lambda r: r.id),
        *_evidence_entries(
            evidence, EvidenceVersion.audit.filter(evidence_id__in=evidence.values("id")), code_of_response
        ),
    ]
    return _newest_first(entries)


def cycle_award_audit(cycle: Cycle) -> list[AuditEntry]:
    """Every change of the award rules of ``cycle`` and of the official results recorded in it, newest first."""
    rules = _("Aturan penghargaan")
    results = OfficialResult.audit.filter(cycle_id=cycle.pk).select_related("regency")
    entries = [
        *_entries_of(_ordered(Cycle.audit.filter(id=cycle.pk)), Cycle, lambda r: rules),
        *_entries_of(
            _ordered(results),
            OfficialResult,
            lambda r: _("Hasil resmi %(regency)s") % {"regency": r.regency.name if r.regency else "?"},
        ),
    ]
    return _newest_first(entries)


def filter_entries(
    entries: list[AuditEntry],
    *,
    field: str = "",
    user_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[AuditEntry]:
    """Entries of one field, one user, and/or within dates (local days, both ends included)."""
    result = []
    for entry in entries:
        day = timezone.localtime(entry.at).date()
        if field and entry.field != field:
            continue
        if user_id is not None and getattr(entry.user, "pk", None) != user_id:
            continue
        if date_from is not None and day < date_from:
            continue
        if date_to is not None and day > date_to:
            continue
        result.append(entry)
    return result


def field_choices(entries: list[AuditEntry]) -> list[tuple[str, str]]:
    return sorted({(e.field, e.field_label) for e in entries if e.field}, key=lambda c: c[1])


def user_choices(entries: list[AuditEntry]) -> list[tuple[int, str]]:
    return sorted({(e.user.pk, str(e.user)) for e in entries if e.user is not None}, key=lambda c: c[1])
