"""Fill pages: one per tatanan and one for kelembagaan, with a card per indicator.

Each card saves on its own (explicit save). With htmx the card is swapped in
place; without JavaScript the form posts normally and the page reloads at the
card. An invalid form is shown again with the posted values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.forms.evidence import EvidenceReplaceForm
from evaluations.forms.responses import SUBMIT, CommentForm, ResponseForm
from evaluations.models import Assessment, Response
from evaluations.selectors.fill import response_for_card, responses_for_fill
from evaluations.selectors.general_data import count_checks
from evaluations.selectors.progress import Progress
from evaluations.services.cycles import require_fill_window
from evaluations.services.errors import StaleVersion, WindowClosed, WorkflowError
from evaluations.services.guards import is_editable
from evaluations.services.notifications import fill_url
from evaluations.services.responses import can_submit_now, response_save, response_submit_filled
from forums.permissions import (
    assessments_visible_to,
    can_comment_response,
    can_fill_response,
    get_for_user_or_404,
    responses_visible_to,
)
from tatanan.models import Tatanan

from .card_cache import render_cards
from .tus import discard, tus_files


@dataclass
class Card:
    response: Response
    can_fill: bool
    editable: bool
    closed_message: str = ""
    can_comment: bool = False
    notice: str = ""
    errors: list[str] = field(default_factory=list)
    # False on the whole page: the closed blocks (definitions, history, comments, old versions) load on
    # demand from response_block. A single card swapped in by htmx shows them inline.
    inline: bool = True
    urls: dict[str, str] = field(default_factory=dict)
    # Forms with the user's input (an invalid post); the empty ones are made only if the card is rendered,
    # not when it comes from the cache (evaluations.views.card_cache).
    posted_form: ResponseForm | None = None
    posted_comment_form: CommentForm | None = None

    @property
    def lazy(self) -> bool:
        return not self.inline

    @property
    def has_input(self) -> bool:
        return self.posted_form is not None or self.posted_comment_form is not None

    @cached_property
    def form(self) -> ResponseForm | None:
        return (self.posted_form or ResponseForm(response=self.response)) if self.editable else None

    @cached_property
    def comment_form(self) -> CommentForm | None:
        if not self.can_comment:
            return None
        return self.posted_comment_form or CommentForm(prefix=f"c{self.response.pk}")

    def attach_forms(self) -> None:
        """The replace-file form of each active evidence, which the card's template shows when editable."""
        if self.editable:
            for evidence in getattr(self.response, "active_evidence", []):
                evidence.replace_form = EvidenceReplaceForm(prefix=f"e{evidence.pk}")


def card_labels() -> dict[str, str]:
    """The card's fixed texts, translated once per page instead of once per card."""
    return {
        "corrected": _("Dikoreksi"),
        "definition": _("Definisi operasional, sumber data dan bukti dukung yang diminta"),
        "open": _("Buka"),
        "needs_revision": _("Perlu perbaikan"),
        "self_score": _("Nilai mandiri"),
        "provincial_score": _("Nilai provinsi"),
        "national_score": _("Nilai pusat"),
        "save": _("Simpan"),
        "save_submit": _("Simpan & ajukan"),
        "saving": _("Menyimpan…"),
        "answer_details": _("Rincian jawaban, bukti dukung dan riwayat"),
        "achievement": _("Capaian tahun penilaian"),
        "achievement_previous": _("Capaian tahun sebelumnya"),
        "explanation": _("Penjelasan OPD"),
        "evidence": _("Bukti dukung"),
        "review_page": _("Halaman verifikasi indikator ini"),
        "audit": _("Riwayat perubahan"),
    }


_PK = 987654321  # a stand-in id: reversed once per page, then replaced by each card's id


def card_url_makers() -> dict[str, Callable[[int], str]]:
    """URL builders for a card's links, each reversed once per page (191 reversals a page before)."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {
        "save": ("evaluations:response-save", ()),
        "review": ("evaluations:review-detail", ()),
        "audit": ("evaluations:response-audit", ()),
        **{block: ("evaluations:response-block", (block,)) for block in ("definisi", "riwayat", "komentar")},
    }
    makers = {}
    for key, (name, extra) in names.items():
        head, tail = reverse(name, args=[_PK, *extra]).split(str(_PK), 1)
        makers[key] = lambda pk, head=head, tail=tail: f"{head}{pk}{tail}"
    return makers


def build_card(
    user, response: Response, *, form=None, comment_form=None, notice="", errors=(), inline=True, makers=None
) -> Card:
    can_fill = can_fill_response(user, response)
    editable = can_fill and is_editable(response)
    closed_message = ""
    if editable:
        try:
            require_fill_window(response)
        except WindowClosed as error:
            editable, closed_message = False, str(error)
    return Card(
        response=response,
        can_fill=can_fill,
        editable=editable,
        closed_message=closed_message,
        can_comment=can_comment_response(user, response),
        notice=notice,
        errors=list(errors),
        inline=inline,
        urls={key: make(response.pk) for key, make in (makers or card_url_makers()).items()},
        posted_form=form,
        posted_comment_form=comment_form,
    )


def _attach_count_checks(assessment: Assessment, responses: list[Response]) -> None:
    """FKK/Pokja indicators: their documents counted against the proposed kecamatan or desa (for the card)."""
    checks = count_checks(assessment, responses)
    for response in responses:
        response.count_check = checks.get(response.pk)  # type: ignore[attr-defined]


def render_card(request, response: Response, **kwargs):
    """The card of one response, fetched afresh (for htmx swaps)."""
    fresh = response_for_card(assessment=response.assessment, pk=response.pk)
    _attach_count_checks(fresh.assessment, [fresh])
    card = build_card(request.user, fresh, **kwargs)
    return HttpResponse(render_cards(request, [card], labels=card_labels())[0])


def visible_assessment(request, pk) -> Assessment:
    return get_for_user_or_404(
        assessments_visible_to(request.user).select_related("cycle", "cycle__framework", "regency", "regency__parent"),
        pk=pk,
    )


def _tatanan_of(assessment: Assessment, tatanan_pk) -> Tatanan:
    return get_object_or_404(Tatanan, pk=tatanan_pk, framework_id=assessment.cycle.framework_id)


def _page_url(assessment: Assessment, tatanan: Tatanan | None) -> str:
    if tatanan is None:
        return reverse("evaluations:kelembagaan-fill", args=[assessment.pk])
    return reverse("evaluations:tatanan-fill", args=[assessment.pk, tatanan.pk])


def render_fill_page(request, assessment: Assessment, tatanan: Tatanan | None, *, forms=None, status=200):
    forms = forms or {}
    responses = responses_for_fill(assessment=assessment, tatanan=tatanan)
    if tatanan is None:
        _attach_count_checks(assessment, responses)
    makers = card_url_makers()
    cards = [build_card(request.user, r, form=forms.get(r.pk), inline=False, makers=makers) for r in responses]
    mine_only = request.GET.get("saya") == "1"
    labels = card_labels()
    progress = Progress(
        total=len(responses),
        filled=sum(r.value is not None for r in responses),
        unsent=sum(is_editable(r) for r in responses),
    )
    context = {
        "assessment": assessment,
        "tatanan": tatanan,
        "all_tatanan": list(Tatanan.objects.filter(framework_id=assessment.cycle.framework_id).order_by("number")),
        "cards_html": render_cards(request, [c for c in cards if c.can_fill] if mine_only else cards, labels=labels),
        "mine_only": mine_only,
        "any_fillable": any(c.editable for c in cards),
        "progress": progress,
        "page_url": _page_url(assessment, tatanan),
        # A plain POST that failed reloads the page at its top: list the errors there, linked to their fields.
        "error_links": [link for form in forms.values() if form.errors for link in form.error_links()],
    }
    return render(request, "evaluations/fill/page.html", context, status=status)


@login_required
def tatanan_fill(request, pk, tatanan_pk):
    assessment = visible_assessment(request, pk)
    return render_fill_page(request, assessment, _tatanan_of(assessment, tatanan_pk))


@login_required
def kelembagaan_fill(request, pk):
    return render_fill_page(request, visible_assessment(request, pk), None)


def fillable_response(request, pk) -> Response:
    """A visible response (404) that the user fills (403), with what the form and services need."""
    return get_for_user_or_404(
        responses_visible_to(request.user)
        .select_related("assessment__cycle", "assessment__regency", "indicator__tatanan")
        .prefetch_related("indicator__scale_options", "indicator__responsible_opd_kinds"),
        check=can_fill_response,
        user=request.user,
        pk=pk,
    )


@login_required
@require_POST
def response_save_view(request, pk):
    response = fillable_response(request, pk)
    files, resumed = tus_files(request, target=f"response:{response.pk}", field=f"r{response.pk}-evidence_files")
    try:
        return _save(request, response, ResponseForm(request.POST, files, response=response))
    finally:
        discard(resumed)


def _save(request, response: Response, form: ResponseForm):
    pk = response.pk
    if form.is_valid():
        submit = form.action == SUBMIT
        try:
            saved = response_save(
                response=response,
                data=form.fill_data(),
                actor=request.user,
                version=form.cleaned_data["version"],
                uploads=form.cleaned_data["evidence_files"],
                evidence_title=form.cleaned_data["evidence_title"],
                evidence_year=form.cleaned_data["evidence_year"],
                submit=submit,
            )
        except WorkflowError as error:
            form.add_error(None, error)
            if isinstance(error, StaleVersion):
                # Keep the user's input; saving again now deliberately overwrites.
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = Response.objects.values_list("version", flat=True).get(pk=pk)
        else:
            notice = _("Tersimpan dan diajukan untuk verifikasi.") if submit else _("Tersimpan.")
            if request.htmx:
                return render_card(request, saved, notice=notice)
            messages.success(request, f"{saved.indicator.code}: {notice}")
            return redirect(fill_url(saved))
    if request.htmx:
        return render_card(request, response, form=form)
    return render_fill_page(request, response.assessment, response.indicator.tatanan, forms={response.pk: form})


def _submit_page(request, pk, tatanan_pk):
    """The assessment, tatanan (None: kelembagaan) and the responses the user fills there (403 if none)."""
    assessment = visible_assessment(request, pk)
    tatanan = _tatanan_of(assessment, tatanan_pk) if tatanan_pk else None
    responses = responses_for_fill(assessment=assessment, tatanan=tatanan)
    fillable = [r for r in responses if can_fill_response(request.user, r)]
    if not fillable:
        raise PermissionDenied
    return assessment, tatanan, fillable


def _submit_urls(assessment: Assessment, tatanan: Tatanan | None) -> tuple[str, str]:
    if tatanan is None:
        return (
            reverse("evaluations:kelembagaan-submit-confirm", args=[assessment.pk]),
            reverse("evaluations:kelembagaan-submit", args=[assessment.pk]),
        )
    return (
        reverse("evaluations:tatanan-submit-confirm", args=[assessment.pk, tatanan.pk]),
        reverse("evaluations:tatanan-submit", args=[assessment.pk, tatanan.pk]),
    )


@login_required
def submit_filled_confirm(request, pk, tatanan_pk=None):
    """What "submit all filled" would send, which of those lack evidence, and a button to confirm."""
    assessment, tatanan, fillable = _submit_page(request, pk, tatanan_pk)
    ready = [r for r in fillable if can_submit_now(request.user, r)]
    _confirm_url, submit_url = _submit_urls(assessment, tatanan)
    context = {
        "assessment": assessment,
        "tatanan": tatanan,
        "ready": ready,
        "without_evidence": [r for r in ready if not r.active_evidence],
        "page_url": _page_url(assessment, tatanan),
        "submit_url": submit_url,
    }
    return render(request, "evaluations/fill/submit_confirm.html", context)


@login_required
@require_POST
def submit_filled(request, pk, tatanan_pk=None):
    """Submit the responses ticked on the confirmation page (never more than it listed)."""
    assessment, tatanan, fillable = _submit_page(request, pk, tatanan_pk)
    chosen = {int(v) for v in request.POST.getlist("responses") if v.isdigit()}
    if not chosen:
        messages.info(request, _("Pilih indikator yang akan diajukan."))
        return redirect(_submit_urls(assessment, tatanan)[0])
    submitted = response_submit_filled(responses=[r for r in fillable if r.pk in chosen], actor=request.user)
    if submitted:
        messages.success(request, _("%(count)d indikator diajukan untuk verifikasi.") % {"count": len(submitted)})
    else:
        messages.info(request, _("Tidak ada indikator terisi yang dapat diajukan sekarang."))
    return redirect(_page_url(assessment, tatanan))


BLOCKS = {
    "definisi": "evaluations/fill/_block_definition.html",
    "riwayat": "evaluations/fill/_block_history.html",
    "komentar": "evaluations/fill/_block_comments.html",
    "versi": "evaluations/fill/_block_versions.html",
}


@login_required
def response_block(request, pk, block):
    """One closed block of a fill card, loaded when it is opened: a fragment for htmx, a page without
    JavaScript. Anyone who sees the response sees it (the fill page shows it to them); else 404."""
    template = BLOCKS.get(block)
    if template is None:
        raise Http404
    visible = get_for_user_or_404(responses_visible_to(request.user).select_related("assessment"), pk=pk)
    response = response_for_card(assessment=visible.assessment, pk=pk)
    evidence = None
    if block == "versi":
        evidence = next((e for e in response.evidence.all() if str(e.pk) == request.GET.get("bukti")), None)
        if evidence is None:
            raise Http404
    can_comment = can_comment_response(request.user, response)
    context = {
        "r": response,
        "ind": response.indicator,
        "ev": evidence,
        "comment_form": CommentForm(prefix=f"c{response.pk}") if can_comment else None,
        "block_template": template,
        "back_url": fill_url(response),
    }
    if request.htmx:
        return render(request, template, context)
    return render(request, "evaluations/fill/block_page.html", context)


urlpatterns = [
    path("jawaban/<int:pk>/bagian/<slug:block>/", response_block, name="response-block"),
    path("penilaian/<int:pk>/tatanan/<int:tatanan_pk>/", tatanan_fill, name="tatanan-fill"),
    path("penilaian/<int:pk>/tatanan/<int:tatanan_pk>/ajukan/", submit_filled, name="tatanan-submit"),
    path(
        "penilaian/<int:pk>/tatanan/<int:tatanan_pk>/ajukan/periksa/",
        submit_filled_confirm,
        name="tatanan-submit-confirm",
    ),
    path("penilaian/<int:pk>/kelembagaan/", kelembagaan_fill, name="kelembagaan-fill"),
    path("penilaian/<int:pk>/kelembagaan/ajukan/", submit_filled, name="kelembagaan-submit"),
    path("penilaian/<int:pk>/kelembagaan/ajukan/periksa/", submit_filled_confirm, name="kelembagaan-submit-confirm"),
    path("jawaban/<int:pk>/simpan/", response_save_view, name="response-save"),
]
