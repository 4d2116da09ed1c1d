"""Everything the verification dossier of one assessment shows, read in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from evaluations.models import Assessment, ChangeKind, EvidenceVersion, Response, Stage, StatusChange
from evaluations.selectors.award import policy_lines
from evaluations.selectors.forecast import ReadinessView, readiness_views
from evaluations.selectors.general_data import GeneralData, general_data
from evaluations.selectors.scores import AssessmentScores, assessment_scores
from forums.models import Body, BodyKind, MemberRole, Membership, User
from kks import textlimits
from tatanan import scoring
from tatanan.models import Indicator, IndicatorKind, Tatanan

LEVELS = (
    (Stage.KABUPATEN, _("Mandiri")),
    (Stage.PROVINSI, _("Provinsi")),
    (Stage.PUSAT, _("Pusat")),
)
EVIDENCE_TITLE = 200  # Evidence.title max_length
BODY_ORDER = (BodyKind.TIM_PEMBINA, BodyKind.FORUM, BodyKind.FKK, BodyKind.POKJA, BodyKind.TIM_PEMBINA_PROVINSI)


@dataclass(frozen=True)
class ClippedText:
    """A text as the dossier prints it: cut to a budget, with ``cut`` set so the template says so."""

    text: str
    cut: bool = False
    length: int = 0

    def __bool__(self) -> bool:
        return bool(self.text) or self.cut

    def __str__(self) -> str:
        return self.text


class TextBudget:
    """The dossier's own guard on its size, whatever is in the database (rows stored before the limits,
    or written past the services): each text is cut at its field's limit, and all texts together at
    ``KKS_DOSSIER_TEXT_BUDGET`` characters, so one huge answer cannot push a render past its time limit."""

    def __init__(self, total: int | None = None):
        self.left = settings.KKS_DOSSIER_TEXT_BUDGET if total is None else total

    def clip(self, text: str | None, limit: int) -> ClippedText:
        text = text or ""
        allowed = max(0, min(limit, self.left))
        if len(text) <= allowed:
            self.left -= len(text)
            return ClippedText(text, False, len(text))
        self.left -= allowed
        return ClippedText(text[:allowed].rstrip(), True, len(text))


@dataclass
class EvidenceItem:
    version: EvidenceVersion
    title: str
    indicator_code: str = ""
    thumbnail: str | None = None  # a data: URI, filled in by the rendering service

    @property
    def data_year(self) -> int:
        """The data year the evidence is for (0: stored before evidence had a year)."""
        return self.version.evidence.data_year

    @property
    def is_image(self) -> bool:
        return self.version.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.version.content_type == "application/pdf"


@dataclass
class IndicatorItem:
    response: Response
    evidence: list[EvidenceItem] = field(default_factory=list)
    last_review: StatusChange | None = None
    texts: dict[str, ClippedText] = field(default_factory=dict)
    corrections: list[StatusChange] = field(default_factory=list)

    @property
    def thumbnails(self) -> list[EvidenceItem]:
        """The evidence drawn as a thumbnail (photos, once the rendering service added them)."""
        return [e for e in self.evidence if e.thumbnail]

    def clip_texts(self, budget: TextBudget) -> None:
        r = self.response
        self.texts = {
            "achievement": budget.clip(r.achievement, textlimits.ACHIEVEMENT),
            "achievement_previous": budget.clip(r.achievement_previous, textlimits.ACHIEVEMENT),
            "explanation": budget.clip(r.explanation, textlimits.EXPLANATION),
            "review_note": budget.clip(self.last_review.note if self.last_review else "", textlimits.REVIEW_NOTE),
        }
        for e in self.evidence:
            e.title = budget.clip(e.title, EVIDENCE_TITLE).text

    @property
    def indicator(self) -> Indicator:
        return self.response.indicator

    @property
    def scale(self) -> list:
        return list(self.response.indicator.scale_options.all())

    def criterion(self, value: int | None) -> str:
        return next((o.description for o in self.scale if o.value == value), "")

    @property
    def value_criterion(self) -> str:
        return self.criterion(self.response.value)

    @property
    def values(self) -> list[int | None]:
        r = self.response
        return [r.value, r.value_provincial, r.value_national]


@dataclass
class LevelScore:
    stage: str
    label: str
    score: scoring.TatananScore

    @property
    def percent(self) -> Decimal | None:
        return self.score.percent if self.score.answered else None


@dataclass
class TatananSection:
    tatanan: Tatanan
    items: list[IndicatorItem]
    levels: list[LevelScore]

    @property
    def anchor(self) -> str:
        return f"tatanan-{self.tatanan.number}"


@dataclass
class Signatory:
    title: str
    name: str = ""
    position: str = ""


@dataclass
class DossierData:
    assessment: Assessment
    scores: AssessmentScores
    sections: list[TatananSection]
    kelembagaan: list[IndicatorItem]
    bodies: list[Body]
    signatories: list[Signatory]
    general: GeneralData | None = None
    narrative: ClippedText = field(default_factory=lambda: ClippedText(""))
    secretariat_address: ClippedText = field(default_factory=lambda: ClippedText(""))

    @property
    def evidence(self) -> list[EvidenceItem]:
        items = [*self.kelembagaan, *(i for s in self.sections for i in s.items)]
        return [e for i in items for e in i.evidence]

    @property
    def readiness_summary(self) -> list[ReadinessView]:
        return readiness_views(self.scores)

    @property
    def policy_lines(self) -> list[str]:
        """The award rules the levels above were decided by (the cycle's policy), in words."""
        return policy_lines(self.scores.policy)

    @property
    def forum(self) -> Body | None:
        return next((b for b in self.bodies if b.kind == BodyKind.FORUM), None)


def _level_scores(items: list[IndicatorItem]) -> list[LevelScore]:
    return [
        LevelScore(stage.value, str(label), scoring.tatanan_score([i.values[n] for i in items]))
        for n, (stage, label) in enumerate(LEVELS)
    ]


def _current_versions(assessment: Assessment) -> dict[int, list[EvidenceItem]]:
    """The shown version of each evidence not withdrawn: the current one, else the latest."""
    versions = (
        EvidenceVersion.objects.filter(evidence__response__assessment=assessment, evidence__withdrawn_at__isnull=True)
        .select_related("evidence", "uploaded_by")
        .order_by("evidence__response_id", "evidence__created_at", "evidence_id", "number")
    )
    latest: dict[int, EvidenceVersion] = {}
    current: dict[int, EvidenceVersion] = {}
    for v in versions:  # ordered by number, so the last one seen is the latest
        latest[v.evidence_id] = v
        if v.evidence.current_id == v.pk:
            current[v.evidence_id] = v
    chosen = {evidence_id: current.get(evidence_id, v) for evidence_id, v in latest.items()}
    by_response: dict[int, list[EvidenceItem]] = defaultdict(list)
    for v in chosen.values():
        by_response[v.evidence.response_id].append(EvidenceItem(v, v.evidence.title))
    for items in by_response.values():
        items.sort(key=lambda e: -e.data_year)  # data year N first, then N-1 (stable within a year)
    return by_response


def _last_reviews(assessment: Assessment) -> tuple[dict[int, StatusChange], dict[int, list[StatusChange]]]:
    """The last review decision of each response, and the national admin's corrections of each."""
    changes = (
        StatusChange.objects.filter(response__assessment=assessment)
        .select_related("reason", "actor")
        .order_by("response_id", "at", "pk")
    )
    last: dict[int, StatusChange] = {}
    corrections: dict[int, list[StatusChange]] = defaultdict(list)
    for change in changes:
        if change.kind == ChangeKind.CORRECTION:
            corrections[change.response_id].append(change)
        else:
            last[change.response_id] = change  # the last one wins
    return last, corrections


def _verifier(changes: dict[int, StatusChange], stage: str) -> User | None:
    last = [c for c in changes.values() if c.stage == stage and c.actor_id]
    return max(last, key=lambda c: (c.at, c.pk)).actor if last else None


def _signatories(bodies: list[Body], changes: dict[int, StatusChange]) -> list[Signatory]:
    def chair(kind: str, title: str) -> Signatory:
        body = next((b for b in bodies if b.kind == kind), None)
        members = body.members if body else []  # type: ignore[attr-defined]  # set by dossier_data
        member = next((m for m in members if m.role == MemberRole.KETUA), None)
        if member is None:
            return Signatory(title)
        return Signatory(title, member.display_name, member.position)

    provincial = _verifier(changes, Stage.PROVINSI)
    national = _verifier(changes, Stage.PUSAT)
    return [
        chair(BodyKind.TIM_PEMBINA, str(BodyKind.TIM_PEMBINA.label)),
        chair(BodyKind.FORUM, str(BodyKind.FORUM.label)),
        Signatory(str(Stage.PROVINSI.label), str(provincial) if provincial else ""),
        Signatory(str(Stage.PUSAT.label), str(national) if national else ""),
    ]


def dossier_data(assessment_id: int) -> DossierData:
    """The assessment with its responses, evidence, review outcomes, bodies and scores."""
    assessment = Assessment.objects.select_related("cycle", "cycle__framework", "regency", "regency__parent").get(
        pk=assessment_id
    )
    responses = list(
        Response.objects.filter(assessment=assessment)
        .select_related("indicator", "indicator__tatanan", "updated_by")
        .prefetch_related("indicator__scale_options")
        .order_by("indicator__sort_order", "indicator__code")
    )
    evidence = _current_versions(assessment)
    changes, corrections = _last_reviews(assessment)
    items = {
        r.pk: IndicatorItem(r, evidence.get(r.pk, []), changes.get(r.pk), corrections=corrections.get(r.pk, []))
        for r in responses
    }
    for item in items.values():
        for e in item.evidence:
            e.indicator_code = item.indicator.code
    by_tatanan: dict[int | None, list[IndicatorItem]] = defaultdict(list)
    kelembagaan = []
    for r in responses:
        if r.indicator.kind == IndicatorKind.KELEMBAGAAN:
            kelembagaan.append(items[r.pk])
        else:
            by_tatanan[r.indicator.tatanan_id].append(items[r.pk])
    tatanan = Tatanan.objects.filter(framework_id=assessment.cycle.framework_id).order_by("number")
    sections = [TatananSection(t, by_tatanan.get(t.pk, []), _level_scores(by_tatanan.get(t.pk, []))) for t in tatanan]
    bodies = list(
        Body.objects.filter(scope_region=assessment.regency)
        .select_related("region")
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("user").order_by("pk")))
        .order_by("region__code", "name")
    )
    kind_rank: dict[str, int] = {kind: n for n, kind in enumerate(BODY_ORDER)}
    bodies.sort(key=lambda b: kind_rank.get(b.kind, 99))
    rank = {role: n for n, role in enumerate(MemberRole.values)}
    for body in bodies:
        body.members = sorted(  # type: ignore[attr-defined]  # for the template and _signatories
            body.memberships.all(), key=lambda m: (rank.get(m.role, 99), m.display_name)
        )
    data = DossierData(
        assessment=assessment,
        scores=assessment_scores(assessment),
        sections=sections,
        kelembagaan=kelembagaan,
        bodies=bodies,
        signatories=_signatories(bodies, changes),
        general=general_data(assessment),
    )
    # In print order: the general part first, then the kelembagaan and the tatanan sections.
    budget = TextBudget()
    data.narrative = budget.clip(assessment.narrative, textlimits.NARRATIVE)
    forum = data.forum
    data.secretariat_address = budget.clip(forum.secretariat_address if forum else "", textlimits.ADDRESS)
    for item in [*kelembagaan, *(i for section in sections for i in section.items)]:
        item.clip_texts(budget)
    return data
