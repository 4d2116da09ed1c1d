"""Journey 5: the national admin imports a new framework version from the web.

The first upload has a deliberate error (a scale value of 60) and the dry run names its line and
field; the corrected file shows the summary and the diff with the published 2025 version; the admin
publishes it and the new version is listed. Every page passes axe-core, at 390 px and on a desktop.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tatanan.models import FrameworkImport, FrameworkStatus, FrameworkVersion, ImportStatus
from tatanan.services import framework_load

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser

SHIPPED = settings.BASE_DIR / "tatanan" / "data" / "kks-2025.yaml"
K16_ZERO = "      - value: 0\n        description: Tidak ada sekretariat\n"
K17 = """\
  - code: K-17
    kind: kelembagaan
    body_kind: pokja
    number: 17
    name: Rencana kerja tahunan Pokja Desa/Kelurahan Sehat
    scale:
      - value: 100
        description: Ada rencana kerja tahunan yang ditandatangani ketua Pokja
      - value: 0
        description: Tidak ada rencana kerja tahunan
"""


def _new_version(text: str) -> str:
    """The 2025 file as a 2026 version: one indicator reworded, one scale text changed, one indicator added."""
    replacements = [
        (
            "code: kks-2025\nname: Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025\nyear: 2025\n",
            "code: kks-2026\nname: Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2026\nyear: 2026\n",
        ),
        (
            "    name: Persentase fasilitas pelayanan kesehatan terdekat\n",
            "    name: Persentase fasilitas pelayanan kesehatan terdekat dari rumah\n",
        ),
    ]
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    head, last = text.rsplit(K16_ZERO, 1)  # the last scale option of the file is K-16's
    assert last == ""
    return head + "      - value: 0\n        description: Belum ada sekretariat\n" + K17


def _upload(page, name: str, text: str) -> None:
    page.get_by_label("Berkas kerangka").set_input_files(
        files=[{"name": name, "mimeType": "application/yaml", "buffer": text.encode("utf-8")}]
    )
    page.get_by_role("button", name="Periksa berkas").click()


def _both_sizes(page, phone, name: str, *, full_page: bool = False) -> None:
    """axe-core and a screenshot of the current page on the desktop and at 390 px (GET pages only)."""
    axe_check(page, context=f"{name} (desktop)")
    screenshot(page, f"j5-{name}-desktop", full_page=full_page)
    phone.goto(page.url)
    axe_check(phone, context=f"{name} (phone)")
    screenshot(phone, f"j5-{name}-phone", full_page=full_page)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page is {width}px wide on a 390px phone"


def test_national_admin_imports_a_new_framework_version_from_the_web(
    transactional_db, admin_user, session_page, live_server
):
    framework_load(data=SHIPPED.read_bytes(), source_name=str(SHIPPED), publish=True)
    corrected = _new_version(SHIPPED.read_text(encoding="utf-8"))
    broken = corrected.replace(
        "        description: Belum ada sekretariat\n", "        description: Belum ada sekretariat\n", 1
    )
    head, tail = broken.rsplit("      - value: 0\n        description: Belum ada sekretariat\n", 1)
    broken = head + "      - value: 60\n        description: Belum ada sekretariat\n" + tail
    bad_line = broken.splitlines().index("      - value: 60") + 1
    page = session_page(admin_user, viewport={"width": 1280, "height": 900})
    phone = session_page(admin_user, **PHONE)

    # From the framework list to the upload form.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Kerangka", exact=True).click()
    page.get_by_role("link", name="Impor kerangka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor kerangka")
    _both_sizes(page, phone, "import-list-empty")
    page.get_by_role("link", name="Unggah berkas kerangka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unggah berkas kerangka")
    _both_sizes(page, phone, "upload-form")

    # The deliberate error: the dry run names file, line and field, as load_framework does.
    _upload(page, "kks-2026.yaml", broken)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uji coba kks-2026.yaml")
    errors = page.locator("#import-errors li")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("span").first).to_have_text(
        f"kks-2026.yaml line {bad_line}: indicators[151].scale[1].value: 60 is not one of 0, 25, 50, 75, 100"
    )
    expect(errors.first).to_contain_text(f"{bad_line} | - value: 60")  # the file's line, quoted
    expect(page.get_by_role("button", name="Muat sebagai draf")).to_have_count(0)
    _both_sizes(page, phone, "dry-run-error", full_page=True)
    assert FrameworkVersion.objects.filter(code="kks-2026").count() == 0

    # The corrected file: summary, and the diff with the published 2025 version.
    page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    _upload(page, "kks-2026.yaml", corrected)
    expect(page.get_by_role("heading", name="Berkas valid")).to_be_visible()
    summary = page.locator("section.card")
    expect(summary).to_contain_text("9 tatanan")
    expect(summary).to_contain_text("136 indikator tatanan")
    expect(summary).to_contain_text("17 indikator kelembagaan")
    expect(page.get_by_text("Dibandingkan dengan Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025")).to_be_visible()
    counts = page.get_by_role("table").filter(has=page.get_by_role("rowheader", name="Indikator kelembagaan"))
    expect(counts.get_by_role("row").filter(has_text="Indikator tatanan")).to_have_text(
        re.compile(r"Indikator tatanan\s*0\s*0\s*1")
    )
    expect(counts.get_by_role("row").filter(has_text="Indikator kelembagaan")).to_have_text(
        re.compile(r"Indikator kelembagaan\s*1\s*0\s*1")
    )
    page.get_by_text("1 berubah").first.click()  # open the details of the changed tatanan indicator
    expect(page.get_by_text("Persentase fasilitas pelayanan kesehatan terdekat dari rumah").first).to_be_visible()
    _both_sizes(page, phone, "dry-run-diff")
    closed = page.locator("main details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    screenshot(page, "j5-dry-run-diff-open-desktop", full_page=True)
    axe_check(page, context="dry run with every detail open")

    # Publish, after a confirmation page.
    page.get_by_role("link", name="Terbitkan…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terbitkan kerangka kks-2026?")
    _both_sizes(page, phone, "publish-confirm")
    page.get_by_role("button", name="Ya, terbitkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerangka penilaian")
    expect(page.get_by_text("Kerangka kks-2026 diterbitkan.")).to_be_visible()
    item = page.get_by_role("listitem").filter(has_text="Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2026")
    expect(item).to_contain_text("Terbit")
    expect(item).to_contain_text("17 indikator kelembagaan")
    expect(page.locator("main .list-group-item").first).to_contain_text("Tahun 2026")  # the newest first
    _both_sizes(page, phone, "framework-list-published")

    framework = FrameworkVersion.objects.get(code="kks-2026")
    assert framework.status == FrameworkStatus.PUBLISHED
    assert [r.status for r in FrameworkImport.objects.order_by("pk")] == [ImportStatus.INVALID, ImportStatus.PUBLISHED]
    page.goto(f"{live_server.url}/kerangka/impor/")
    expect(page.get_by_role("listitem").filter(has_text="Terbit")).to_have_count(1)
    _both_sizes(page, phone, "import-list")
