"""Journeys 2 and 3: the health office sends one response back and accepts another;
the coordinator sees the reason, fixes the indicator and resubmits it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from evaluations.models import Response, ResponseStatus, Stage, StatusChange
from evaluations.tests.workflow import send_back, submitted

from .conftest import PHONE, axe_check, pdf_bytes, screenshot

pytestmark = pytest.mark.browser

NOTE = "Unggah SK yang sudah ditandatangani Kepala OPD."


def _responses(assessment) -> list[Response]:
    return list(
        Response.objects.filter(assessment=assessment, indicator__tatanan__number=1)
        .select_related("indicator", "assessment__regency")
        .order_by("indicator__sort_order")
    )


def test_reviewer_sends_one_back_with_a_reason_and_accepts_another(
    journey, coordinator, reviewer, session_page, live_server
):
    to_fix, to_accept, _untouched = _responses(journey)
    submitted(to_fix, coordinator, value=100)
    submitted(to_accept, coordinator, value=50)
    page = session_page(reviewer)

    page.goto(f"{live_server.url}/verifikasi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean verifikasi")
    expect(page.get_by_text("2 indikator menunggu verifikasi.")).to_be_visible()
    axe_check(page, context="review queue")

    # Send back: the reason comes from the catalogue; forgetting it is caught by the form.
    page.get_by_role("link", name=to_fix.indicator.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(to_fix.indicator.code)
    axe_check(page, context="review page")
    page.get_by_role("radio", name="Kembalikan untuk perbaikan").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("Pilih alasan perbaikan.")).to_be_visible()
    axe_check(page, context="review page with errors")
    page.get_by_label("Alasan perbaikan").select_option(label="Bukti dukung tidak lengkap")
    page.get_by_label("Catatan", exact=True).fill(NOTE)
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{to_fix.indicator.code} dikembalikan untuk perbaikan.")
    # The next waiting item opens by itself.
    expect(page.get_by_role("heading", level=1)).to_contain_text(to_accept.indicator.code)
    screenshot(page, "j2-next-item-after-send-back")

    # Accept the other one.
    page.get_by_role("radio", name="Terima").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    # No evidence on this one: the page asks for an explicit confirmation first, at the checkbox.
    expect(page.get_by_text("Indikator ini belum punya bukti dukung.")).to_be_visible()
    axe_check(page, context="accept without evidence: confirmation asked")
    page.get_by_role("radio", name="Terima").check()
    page.get_by_label("Saya tetap menerima walaupun belum ada bukti dukung").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{to_accept.indicator.code} diterima.")
    expect(page.get_by_text("Tidak ada yang menunggu verifikasi Anda.")).to_be_visible()
    axe_check(page, context="empty review queue")

    to_fix.refresh_from_db()
    to_accept.refresh_from_db()
    assert to_fix.status == ResponseStatus.REVISION_REQUESTED
    assert to_fix.revision_due is not None
    change = StatusChange.objects.filter(response=to_fix).latest("pk")
    assert (change.to_status, change.reason.code, change.note, change.actor) == (
        ResponseStatus.REVISION_REQUESTED,
        "bukti-tidak-lengkap",
        NOTE,
        reviewer,
    )
    # Accepted at the kabupaten stage: it now waits for the province.
    assert (to_accept.stage, to_accept.status) == (Stage.PROVINSI, ResponseStatus.SUBMITTED)
    assert coordinator.notifications.filter(response=to_fix, message__contains=NOTE).exists()


def test_coordinator_sees_the_reason_fixes_and_resubmits(journey, coordinator, reviewer, session_page, live_server):
    response = _responses(journey)[0]
    submitted(response, coordinator, value=100)
    send_back(response, reviewer, code="bukti-tidak-lengkap", note=NOTE)
    page = session_page(coordinator, **PHONE)

    # The inbox says what to fix and leads to the indicator.
    page.goto(f"{live_server.url}/")
    page.locator("summary", has_text="Menu").tap()
    menu = page.locator(".nav-menu")
    for name in ("Beranda", "Kelembagaan", "Keluar"):  # each really on top, not covered by the other list
        menu.get_by_role("link", name=name).or_(menu.get_by_role("button", name=name)).tap(trial=True, timeout=2000)
    menu.get_by_role("link", name=re.compile("Kotak masuk")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
    notice = page.get_by_role("listitem").filter(has_text="dikembalikan untuk perbaikan")
    expect(notice).to_contain_text("Bukti dukung tidak lengkap")
    expect(notice).to_contain_text(NOTE.rstrip("."))
    axe_check(page, context="inbox")
    screenshot(page, "j3-inbox-phone")
    notice.get_by_role("button", name="Buka").tap()

    # On the indicator: the same reason, then the fix and the resubmission.
    card = page.locator(f"#r{response.pk}")
    expect(card).to_be_in_viewport()
    expect(card.locator(".alert-warning")).to_contain_text("Perlu perbaikan")
    expect(card.locator(".alert-warning")).to_contain_text("Bukti dukung tidak lengkap")
    expect(card.locator(".alert-warning")).to_contain_text(NOTE)
    axe_check(page, context="fill page with a sent-back indicator")
    screenshot(page, "j3-sent-back-card-phone")
    card.get_by_role("radio", name=re.compile(r"^50 — ")).check()
    card.get_by_label("Penjelasan OPD").fill("SK ditandatangani 3 Maret 2025, terlampir.")
    card.get_by_label("Judul bukti dukung baru").fill("SK Forum bertanda tangan")
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "sk-forum-ttd.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("SK Forum")}]
    )
    card.get_by_role("button", name="Simpan & ajukan").tap()
    card = page.locator(f"#r{response.pk}")
    expect(card.get_by_text("Tersimpan dan diajukan untuk verifikasi.")).to_be_visible()
    expect(card.locator(".badge").first).to_contain_text("Diajukan ulang")
    expect(card.get_by_role("link", name="SK Forum bertanda tangan", exact=True)).to_be_visible()
    axe_check(page, context="card after resubmission")

    # The notification was read on the way, and the reviewer has it back in the queue.
    assert not coordinator.notifications.filter(read_at__isnull=True, response=response).exists()
    response.refresh_from_db()
    assert (response.status, response.value) == (ResponseStatus.RESUBMITTED, 50)
    assert response.explanation == "SK ditandatangani 3 Maret 2025, terlampir."
    assert response.evidence.filter(title="SK Forum bertanda tangan").exists()
    reviewer_page = session_page(reviewer)
    reviewer_page.goto(f"{live_server.url}/verifikasi/")
    expect(reviewer_page.get_by_role("row").filter(has_text=response.indicator.code)).to_contain_text("Diajukan ulang")
