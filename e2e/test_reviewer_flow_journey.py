"""A reviewer at desktop width clears five items in a row with the evidence previewed in the page, sends one back
with a required note and an internal note, bulk-accepts three; the filler never sees the internal note."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from evaluations.models import Response, ResponseStatus, ReviewNote, Stage
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import submitted

from .conftest import axe_check, pdf_bytes, screenshot

pytestmark = pytest.mark.browser

NOTE = "Foto kegiatan belum bertanggal; unggah yang bertanggal 2024."
INTERNAL = "Foto sama dengan siklus lalu (hash cocok), periksa ke lapangan."


def _photo(colour: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _responses(assessment) -> list[Response]:
    return list(
        Response.objects.filter(assessment=assessment)
        .select_related("indicator", "assessment__regency")
        .order_by("indicator__sort_order")
    )


def test_reviewer_clears_five_in_a_row_bulk_accepts_three_and_keeps_an_internal_note(
    journey, coordinator, reviewer, session_page, live_server
):
    responses = _responses(journey)
    assert len(responses) == 8
    for index, response in enumerate(responses):
        # Alternate photos and PDFs; previews are made on commit (the test settings run tasks eagerly).
        if index % 2:
            upload = samples.upload(f"sk-{index}.pdf", pdf_bytes(f"SK {response.indicator.code}"))
        else:
            upload = samples.upload(f"foto-{index}.jpg", _photo(("green", "orange", "navy", "teal")[index // 2]))
        evidence_add(response=response, uploaded=upload, actor=coordinator, title=f"Bukti {response.indicator.code}")
        submitted(response, coordinator, value=100)
    page = session_page(reviewer)  # desktop: 1280 px wide
    page.goto(f"{live_server.url}/verifikasi/")
    expect(page.get_by_text("8 indikator menunggu verifikasi.")).to_be_visible()
    axe_check(page, context="review queue with selection boxes")

    page.get_by_role("link", name=responses[0].indicator.code, exact=True).click()
    to_send_back = responses[2]
    for position, response in enumerate(responses[:5]):
        # The item opened by itself (after the first), in queue order.
        expect(page.get_by_role("heading", level=1)).to_contain_text(response.indicator.code)
        evidence = page.locator(".evidence-item").first
        thumbnail = evidence.locator(".evidence-thumb img")
        expect(thumbnail).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
        assert max(thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]")) == 320
        expect(evidence.locator(".evidence-version")).to_have_text("versi 1")
        expect(evidence.locator(".evidence-hash code").first).to_have_attribute("title", _sha(response))

        # The full view opens in the page, through the sandboxed inline view.
        with page.expect_response(lambda r: "/lihat/" in r.url) as shown:
            evidence.get_by_text("Lihat di halaman").click()
        inline = shown.value
        headers = inline.all_headers()
        assert inline.status == 200
        assert headers["content-disposition"].startswith("inline")
        assert headers["content-security-policy"].startswith("sandbox;")
        assert headers["x-content-type-options"] == "nosniff"
        if position % 2:
            frame = evidence.locator("iframe.evidence-frame")
            expect(frame).to_be_visible()
            if position == 1:
                frame.scroll_into_view_if_needed()
                page.wait_for_timeout(1500)
                screenshot(page, "rf-review-inline-pdf")
            assert headers["content-type"] == "application/pdf"
        else:
            full = evidence.locator(".evidence-view img")
            expect(full).to_be_visible()
            page.wait_for_function("img => img.complete && img.naturalWidth === 1200", arg=full.element_handle())
        if position == 0:
            axe_check(page, context="review page with the evidence opened in the page")
            screenshot(page, "rf-review-inline-preview")

        if response == to_send_back:
            # The note to the filler is required: caught at the field.
            page.get_by_role("radio", name="Kembalikan untuk perbaikan").check()
            page.get_by_label("Alasan perbaikan").select_option(label="Bukti dukung tidak lengkap")
            page.get_by_label("Catatan internal verifikator").fill(INTERNAL)
            page.get_by_role("button", name="Simpan keputusan").click()
            note_field = page.get_by_label("Catatan", exact=True)
            expect(note_field).to_have_attribute("aria-invalid", "true")
            expect(page.locator("#id_note ~ .invalid-feedback, #error_1_id_note").first).to_contain_text(
                "Tuliskan catatan untuk pengisi"
            )
            expect(page.get_by_label("Catatan internal verifikator")).to_have_value(INTERNAL)  # kept
            axe_check(page, context="send-back without a note")
            page.get_by_role("radio", name="Kembalikan untuk perbaikan").check()
            note_field.fill(NOTE)
            page.get_by_role("button", name="Simpan keputusan").click()
            expect(page.get_by_role("status").first).to_contain_text("dikembalikan untuk perbaikan")
        else:
            page.get_by_role("radio", name="Terima").check()
            page.get_by_role("button", name="Simpan keputusan").click()
            expect(page.get_by_role("status").first).to_contain_text(f"{response.indicator.code} diterima.")

    # Five cleared in a row: the sixth is open now. Back to the queue for the other three, in bulk.
    expect(page.get_by_role("heading", level=1)).to_contain_text(responses[5].indicator.code)
    page.get_by_role("navigation", name="Lokasi").get_by_role("link", name="Antrean verifikasi").click()
    expect(page.get_by_text("3 indikator menunggu verifikasi.")).to_be_visible()
    for response in responses[5:]:
        page.get_by_label(f"Pilih {response.indicator.code} · {response.assessment.regency}").check()
    page.get_by_role("button", name="Terima yang dipilih…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima beberapa indikator")
    rows = page.locator("tr.bulk-accept")
    expect(rows).to_have_count(3)
    for response in responses[5:]:
        expect(page.get_by_role("table")).to_contain_text(response.indicator.code)
    axe_check(page, context="bulk acceptance confirmation")
    screenshot(page, "rf-bulk-confirm")
    assert {r.status for r in Response.objects.filter(pk__in=[r.pk for r in responses[5:]])} == {
        ResponseStatus.SUBMITTED
    }  # the listing changed nothing
    page.get_by_role("button", name="Ya, terima 3 indikator").click()
    expect(page.get_by_role("status").first).to_contain_text("3 indikator diterima")
    expect(page.get_by_text("Tidak ada yang menunggu verifikasi Anda.")).to_be_visible()
    axe_check(page, context="empty queue after bulk acceptance")

    states = {r.pk: (r.stage, r.status) for r in Response.objects.filter(assessment=journey)}
    for response in responses:
        expected = (
            (Stage.KABUPATEN, ResponseStatus.REVISION_REQUESTED)
            if response == to_send_back
            else (Stage.PROVINSI, ResponseStatus.SUBMITTED)
        )
        assert states[response.pk] == expected, response.indicator.code
    note = ReviewNote.objects.get()
    assert (note.response_id, note.body, note.author) == (to_send_back.pk, INTERNAL, reviewer)

    # The filler sees the note to them, never the internal one.
    filler = session_page(coordinator)
    for url in (
        f"/verifikasi/{to_send_back.pk}/",
        f"/penilaian/{journey.pk}/tatanan/{to_send_back.indicator.tatanan_id}/",
        "/kotak-masuk/",
        "/",
    ):
        filler.goto(f"{live_server.url}{url}")
        expect(filler.locator("main")).not_to_contain_text(INTERNAL)
        expect(filler.locator("main")).not_to_contain_text("Catatan internal")
    filler.goto(f"{live_server.url}/verifikasi/{to_send_back.pk}/")
    expect(filler.locator("main")).to_contain_text(NOTE)
    axe_check(filler, context="sent-back item as the filler")


def _sha(response) -> str:
    return response.evidence.get().current.sha256
