"""The audit history of one indicator after a fill on the page, a review on the page, an API write and an
admin correction: every change with who made it, the old and the new value (issue 12, checked by)."""

from html.parser import HTMLParser

import pytest

from evaluations.models import RevisionReason
from evaluations.services.corrections import response_correct
from evaluations.tests.workflow import fresh

from .helpers import call, token_for

pytestmark = pytest.mark.django_db


class _Rows(HTMLParser):
    """The cells of every body row of the page's audit table."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_body = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self._row = []
        elif self._row is not None and tag == "td":
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(html: str) -> set[tuple[str, str, str, str]]:
    parser = _Rows()
    parser.feed(html)
    return {(user, field, old, new) for _at, user, field, old, new in parser.rows}


def test_fill_review_api_write_and_correction_all_in_the_indicator_history(
    client, assessment, coordinator, opd_officer, reviewer, provincial, admin_user
):
    response = fresh(assessment.responses.order_by("indicator__sort_order").first())
    reason = RevisionReason.objects.get_or_create(code="bukti-tidak-lengkap", defaults={"label": "Bukti kurang"})[0]

    # 1. The coordinator fills and submits on the fill page.
    client.force_login(coordinator)
    saved = client.post(
        f"/jawaban/{response.pk}/simpan/",
        {f"r{response.pk}-value": 50, f"r{response.pk}-version": response.version, "action": "submit"},
    )
    assert saved.status_code == 302
    # 2. The health office sends it back on the review page.
    client.force_login(reviewer)
    sent_back = client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {"decision": "revise", "reason": reason.pk, "note": "Lengkapi", "version": fresh(response).version},
    )
    assert sent_back.status_code == 302, sent_back.content.decode()[:2000]
    assert fresh(response).status == "revision_requested"
    # 3. The OPD officer's integration corrects it through the API and resubmits.
    client.logout()
    api_write = call(
        client,
        "PATCH",
        f"/responses/{response.pk}",
        token_for(opd_officer),
        {"value": 100, "explanation": "Perbaikan lewat API", "submit": True},
    )
    assert api_write.status_code == 200, api_write.content
    # The health office accepts on the review page (it moves on to the provincial stage).
    client.force_login(reviewer)
    accepted = client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {"decision": "accept", "version": fresh(response).version, "confirm_no_evidence": "on"},
    )
    assert accepted.status_code == 302
    # 4. The national admin corrects the accepted answer, with a reason.
    response_correct(response=fresh(response), changes={"value": 50}, reason="Salah input OPD", actor=admin_user)

    client.force_login(provincial)
    page = client.get(f"/jawaban/{response.pk}/riwayat/")
    assert page.status_code == 200
    who_old_new = {(e.user, e.field, e.old, e.new) for e in page.context["entries"]}
    assert {
        (coordinator, "response.value", "", "50"),  # the fill (page)
        (coordinator, "response.status", "Draf", "Diajukan"),
        (reviewer, "response.status", "Diajukan", "Perlu perbaikan"),  # the review (page)
        (opd_officer, "response.value", "50", "100"),  # the API write
        (opd_officer, "response.explanation", "", "Perbaikan lewat API"),
        (opd_officer, "response.status", "Perlu perbaikan", "Diajukan ulang"),
        (reviewer, "response.stage", "Kabupaten/Kota", "Provinsi"),
        (admin_user, "response.value", "100", "50"),  # the correction
    } <= who_old_new
    correction = next(e for e in page.context["entries"] if e.user == admin_user)
    assert correction.reason == "Salah input OPD"

    # The same four, as the page shows them: who, which field, from what, to what.
    rows = _table(page.content.decode())
    assert (str(coordinator), "Nilai mandiri", "—", "50") in rows
    assert (str(reviewer), "Status", "Diajukan", "Perlu perbaikan") in rows
    assert (str(opd_officer), "Nilai mandiri", "50", "100") in rows
    assert (str(opd_officer), "Penjelasan OPD", "—", "Perbaikan lewat API") in rows
    assert (str(admin_user), "Nilai mandiri Koreksi Salah input OPD", "100", "50") in rows
