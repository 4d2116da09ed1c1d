"""The shapes of the API's requests and answers (pydantic, via django-ninja); they make the OpenAPI document."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from kks import textlimits

Basis = Literal["self", "verified", "forecast"]


class ErrorOut(Schema):
    detail: str
    code: str | None = Field(None, description="A stable name of the refusal, e.g. 'stale' or 'window_closed'.")


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


# --- frameworks ---------------------------------------------------------------------


class ScaleOut(Schema):
    value: int
    description: str


class IndicatorOut(Schema):
    code: str
    kind: Literal["tatanan", "kelembagaan"]
    number: int
    name: str
    operational_definition: str
    data_source: str
    required_evidence: str
    body_kind: str
    responsible_opd_kinds: list[str] = Field(description="Codes of the OPD kinds that fill this indicator.")
    scale: list[ScaleOut] = Field(description="Allowed values, highest first.")


class TatananOut(Schema):
    number: int
    name: str
    description: str
    indicators: list[IndicatorOut]


class FrameworkOut(Schema):
    code: str
    name: str
    year: int
    status: Literal["draft", "published"]
    published_at: datetime.datetime | None


class FrameworkDetailOut(FrameworkOut):
    description: str
    source: str
    tatanan: list[TatananOut]
    kelembagaan: list[IndicatorOut]


# --- regions ------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 35 (province) or 35.71 (kabupaten/kota).")
    name: str
    level: Literal["provinsi", "kabkota"]
    parent_code: str | None


# --- assessments --------------------------------------------------------------------


class CycleOut(Schema):
    id: int
    name: str
    year: int
    data_year: int = Field(description="The year of 'achievement' (capaian).")
    data_year_previous: int = Field(description="The year of 'achievement_previous'.")
    framework_code: str


class AssessmentOut(Schema):
    id: int
    cycle: CycleOut
    regency: RegionOut
    status: Literal["in_progress", "provincial", "national", "done"]
    updated_at: datetime.datetime


class AssessmentPage(Schema):
    count: int
    items: list[AssessmentOut]


class TatananScoreOut(Schema):
    total: int
    count: int
    answered: int
    percent: float


class TatananScoresOut(Schema):
    number: int
    name: str
    filled: int
    total: int
    scores: dict[Basis, TatananScoreOut]


class ReadinessOut(Schema):
    level: str = Field(description="The award level reached (e.g. 'padapa'), or 'none'.")
    level_label: str
    score: float
    odf_percent: float
    kelembagaan_complete: bool
    next_level: str | None


class AssessmentDetailOut(AssessmentOut):
    odf_kecamatan_count: int
    odf_village_count: int
    odf_stop_babs_count: int
    odf_percent: float
    kelembagaan_filled: int
    kelembagaan_total: int
    tatanan: list[TatananScoresOut]
    readiness: dict[Basis, ReadinessOut] = Field(
        description="self: the nilai mandiri; verified: accepted responses only; forecast: verified plus waiting."
    )


# --- responses and evidence --------------------------------------------------------------


class ResponseOut(Schema):
    id: int
    assessment_id: int
    indicator_code: str
    indicator_kind: Literal["tatanan", "kelembagaan"]
    tatanan_number: int | None
    value: int | None = Field(description="Nilai mandiri.")
    value_provincial: int | None
    value_national: int | None
    achievement: str = Field(description="Capaian of the cycle's data_year.")
    achievement_previous: str = Field(description="Capaian of the cycle's data_year_previous.")
    explanation: str
    stage: Literal["kabupaten", "provinsi", "pusat"]
    status: Literal["draft", "submitted", "accepted", "revision_requested", "resubmitted"]
    revision_due: datetime.datetime | None
    version: int = Field(description="Send it back with a change; a different current version gives 409.")
    updated_at: datetime.datetime
    can_fill: bool = Field(description="Whether the token's user fills this response (policy, not window).")


class ResponseIn(Schema):
    """The fields to change; an omitted field is left as it is."""

    value: int | None = Field(None, ge=0, le=100, description="Nilai mandiri: one of the indicator's scale values.")
    achievement: str | None = Field(None, max_length=textlimits.ACHIEVEMENT)
    achievement_previous: str | None = Field(None, max_length=textlimits.ACHIEVEMENT)
    explanation: str | None = Field(None, max_length=textlimits.EXPLANATION)
    version: int | None = Field(None, description="The version the change is based on (recommended).")
    submit: bool = Field(False, description="Also submit the response for review.")


class EvidenceVersionOut(Schema):
    id: int
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime
    download_url: str = Field(description="The permission-checked download page (needs a signed-in session).")


class EvidenceOut(Schema):
    id: int
    response_id: int
    title: str
    created_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    current_version_id: int | None
    versions: list[EvidenceVersionOut]
