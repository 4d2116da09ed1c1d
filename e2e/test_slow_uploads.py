"""Uploads on slow links, on a phone: a large photo is made smaller before it is sent, and a resumable
upload whose connection drops after the first chunk goes on from there and completes."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from playwright.sync_api import expect

from evaluations.models import EvidenceVersion, Response

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser


def _phone_photo() -> bytes:
    """A 4000x3000 JPEG like a phone's: a gradient under sensor-like noise (it does not compress trivially)."""
    from PIL import Image

    base = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.5).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _noisy_png(side: int = 700) -> bytes:
    """A PNG of random pixels (about 1.4 MB): several chunks of the resumable upload."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _first_response(assessment) -> Response:
    return (
        Response.objects.filter(assessment=assessment, indicator__tatanan__number=1)
        .select_related("indicator__tatanan")
        .order_by("indicator__sort_order")
        .first()
    )


def _patch_bytes(page) -> list[int]:
    """Bytes the server took from each tus PATCH (its Upload-Offset after, less the one the request started at)."""
    received: list[int] = []

    def record(response):
        request = response.request
        if request.method == "PATCH" and "/unggah/tus/" in request.url and "upload-offset" in response.headers:
            received.append(int(response.headers["upload-offset"]) - int(request.headers["upload-offset"]))

    page.on("response", record)
    return received


def _open_fill_page(session_page, live_server, coordinator, response):
    page = session_page(coordinator, **PHONE)
    page.goto(f"{live_server.url}/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/")
    return page


def test_a_phone_photo_is_compressed_before_it_is_sent(journey, coordinator, session_page, live_server):
    response = _first_response(journey)
    photo = _phone_photo()
    page = _open_fill_page(session_page, live_server, coordinator, response)
    sent = _patch_bytes(page)
    card = page.locator(f"#r{response.pk}")
    expect(card.get_by_label("Kirim file asli (foto tidak dikecilkan)")).to_be_visible()
    axe_check(page, context="fill page with upload extras")
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "IMG_20250301_101500.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    held: list = []
    holding = [True]

    def hold(route, request):
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    page.route("**/unggah/tus/*/", hold)
    card.get_by_role("button", name="Simpan", exact=True).tap()
    # While the first chunk is on its way: progress shown, both submit buttons off.
    expect(card.get_by_role("button", name="Simpan", exact=True)).to_be_disabled(timeout=30_000)
    expect(card.get_by_role("button", name="Simpan & ajukan")).to_be_disabled()
    expect(card.locator("progress[data-upload-progress]")).to_be_visible()
    expect(card.get_by_role("status").filter(has_text="Mengunggah")).to_be_visible()
    screenshot(page, "slow-upload-progress-phone")
    holding[0] = False
    for route in held:
        route.continue_()
    card = page.locator(f"#r{response.pk}")
    expect(card.get_by_role("status").filter(has_text="Tersimpan.")).to_be_visible(timeout=60_000)
    screenshot(page, "slow-upload-compressed-phone")

    version = EvidenceVersion.objects.get(evidence__response=response)
    assert version.content_type == "image/jpeg"
    assert version.original_name == "IMG_20250301_101500.jpg"
    assert sum(sent) == version.size  # every byte that reached the server went through tus
    assert version.size <= 0.15 * len(photo), (version.size, len(photo))
    from PIL import Image

    with version.file.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 2000


def test_an_interrupted_resumable_upload_resumes_and_completes(journey, coordinator, session_page, live_server):
    response = _first_response(journey)
    original = _noisy_png()
    page = _open_fill_page(session_page, live_server, coordinator, response)
    sent = _patch_bytes(page)
    seen: list[str] = []
    offsets: list[str] = []
    dropped = []

    def drop_second_chunk(route, request):
        seen.append(request.method)
        if request.method == "PATCH":
            offsets.append(request.headers.get("upload-offset"))
        if request.method == "PATCH" and seen.count("PATCH") == 2 and not dropped:
            dropped.append(request.headers.get("upload-offset"))
            route.abort("connectionreset")  # the connection drops after the first chunk arrived
            return
        route.continue_()

    page.route("**/unggah/tus/*/", drop_second_chunk)
    card = page.locator(f"#r{response.pk}")
    # The original, as the user asked: a PNG is never re-encoded then.
    card.get_by_label("Kirim file asli (foto tidak dikecilkan)").check()
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "denah.png", "mimeType": "image/png", "buffer": original}]
    )
    card.get_by_role("button", name="Simpan", exact=True).tap()
    card = page.locator(f"#r{response.pk}")
    expect(card.get_by_role("status").filter(has_text="Tersimpan.")).to_be_visible(timeout=60_000)

    assert dropped, "the second chunk was never sent"
    # After the drop the client asked the server for the offset (HEAD) and went on from there.
    after = seen[seen.index("PATCH", seen.index("PATCH") + 1) + 1 :]
    assert "HEAD" in after, seen
    version = EvidenceVersion.objects.get(evidence__response=response)
    assert version.sha256 == hashlib.sha256(original).hexdigest()
    # The first chunk was not sent again: only the dropped one was repeated, from the offset the server had.
    assert offsets.count("0") == 1, offsets
    assert offsets.count(dropped[0]) == 2, offsets
    assert sum(sent) == len(original)


def test_without_javascript_the_plain_upload_still_works(journey, coordinator, session_page, live_server):
    response = _first_response(journey)
    page = session_page(coordinator, java_script_enabled=False, **PHONE)
    page.goto(f"{live_server.url}/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/")
    card = page.locator(f"#r{response.pk}")
    expect(card.get_by_label("Kirim file asli (foto tidak dikecilkan)")).to_be_hidden()
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": _noisy_png(200)}]
    )
    card.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Tersimpan.").first).to_be_visible()
    assert EvidenceVersion.objects.filter(evidence__response=response).count() == 1
