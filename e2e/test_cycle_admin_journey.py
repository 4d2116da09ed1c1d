"""Journey: the national admin creates the 2027 cycle, previews and opens it for one province, and extends
a window with a reason; every page on a desktop and on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Assessment, Cycle, CycleWindowChange
from forums.tests.factories import RegencyFactory

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser

# clientWidth, not innerWidth: a mobile browser zooms out to the content, which grows innerWidth.
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"

WINDOWS = {
    "Penilaian mandiri dibuka": "2027-01-04T08:00",
    "Penilaian mandiri ditutup": "2027-03-31T16:00",
    "Verifikasi provinsi dibuka": "2027-04-01T08:00",
    "Verifikasi provinsi ditutup": "2027-05-31T16:00",
    "Verifikasi pusat dibuka": "2027-06-01T08:00",
    "Verifikasi pusat ditutup": "2027-07-31T16:00",
}


def _check(page, name: str, *, phone: bool = False) -> None:
    axe_check(page, context=f"{name}{' on a phone' if phone else ''}")
    screenshot(page, f"cycle-admin-{name}{'-phone' if phone else ''}", full_page=True)
    if phone:
        assert page.evaluate(FITS), f"{name} is wider than a 390 px phone"


@pytest.fixture
def programme(transactional_db, framework, regency, other_regency, admin_user, provincial):
    """Jawa Timur with three kabupaten/kota, Sulawesi Selatan with one, the 2025 cycle (opened) in use."""
    from evaluations.tests.factories import CycleFactory

    RegencyFactory(code="35.72", name="Kota Blitar", parent=regency.parent)
    RegencyFactory(code="35.73", name="Kota Malang", parent=regency.parent)
    return CycleFactory(framework=framework, name="KKS 2025", year=2025)


def test_national_admin_creates_previews_opens_and_extends_a_cycle(
    programme, framework, regency, admin_user, session_page, live_server
):
    page = session_page(admin_user, viewport={"width": 1280, "height": 900})
    phone = session_page(admin_user, **PHONE)

    # From the navigation to the list of cycles.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Siklus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Siklus program")
    _check(page, "cycle-list")

    # Create the 2027 cycle: a first try with the windows out of order shows the error at the field.
    page.get_by_role("link", name="Buat siklus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat siklus")
    _check(page, "cycle-form")
    page.get_by_label("Nama siklus").fill("KKS 2027")
    page.get_by_label("Tahun siklus").fill("2027")
    expect(page.get_by_label("Tahun data N-1", exact=True)).to_have_value("2025")
    expect(page.get_by_label("Tahun data N", exact=True)).to_have_value("2026")
    page.get_by_label("Versi kerangka").select_option(label=framework.name)
    for label, value in WINDOWS.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Verifikasi provinsi dibuka").fill("2027-01-01T08:00")
    page.get_by_label("Batas perbaikan (jam)").fill("48")
    page.get_by_role("button", name="Buat siklus (draf)").click()
    field = page.get_by_label("Verifikasi provinsi dibuka")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_provincial_opens_error")).to_contain_text(
        "Verifikasi provinsi tidak boleh dibuka sebelum Penilaian mandiri dibuka."
    )
    _check(page, "cycle-form-error")
    field.fill(WINDOWS["Verifikasi provinsi dibuka"])
    page.get_by_role("button", name="Buat siklus (draf)").click()

    # The draft cycle's page.
    expect(page.get_by_role("heading", level=1)).to_contain_text("KKS 2027")
    expect(page.locator(".alert-success")).to_contain_text("dibuat sebagai draf")
    expect(page.locator("main")).to_contain_text("Belum dibuka (draf)")
    expect(page.locator("main")).to_contain_text("48 jam")
    cycle = Cycle.objects.get(name="KKS 2027")
    assert (cycle.data_year_previous, cycle.data_year, cycle.opened_at) == (2025, 2026, None)
    _check(page, "cycle-detail-draft")
    phone.goto(page.url)
    _check(phone, "cycle-detail-draft", phone=True)

    # Preview the opening for Jawa Timur: counts shown, nothing created yet.
    page.get_by_label("Satu provinsi").check()
    page.get_by_label("Provinsi", exact=True).select_option(label="Jawa Timur")
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("heading", level=2, name="Pratinjau: Jawa Timur")).to_be_visible()
    counts = page.locator("#preview-counts")
    for term, value in {
        "Kabupaten/kota dalam cakupan": "3",
        "Sudah dibuka sebelumnya": "0",
        "Penilaian yang akan dibuat": "3",
        "Jawaban draf yang akan dibuat": "24",
    }.items():
        expect(counts.locator(f"dt:text-is('{term}') + dd")).to_have_text(value)
    assert not Assessment.objects.filter(cycle=cycle).exists()
    _check(page, "cycle-open-preview")
    phone.goto(page.url)
    _check(phone, "cycle-open-preview", phone=True)

    # Confirm: the cycle opens for the three kabupaten/kota of Jawa Timur only.
    page.get_by_role("button", name="Ya, buka sekarang").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "dibuka untuk Jawa Timur: 3 penilaian baru, 24 jawaban baru; 0 kabupaten/kota sudah dibuka sebelumnya"
    )
    expect(page.locator("main")).to_contain_text("3 kabupaten/kota di 1 provinsi")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Jawa Timur"))
    expect(row).to_contain_text("3")
    assert set(Assessment.objects.filter(cycle=cycle).values_list("regency__code", flat=True)) == {
        "35.71",
        "35.72",
        "35.73",
    }
    cycle.refresh_from_db()
    assert cycle.opened_at is not None
    _check(page, "cycle-detail-opened")

    # Extend the self-assessment window with a reason; the change is listed on the cycle page.
    page.get_by_role("link", name="Ubah masa Penilaian mandiri").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ubah masa KKS 2027")
    expect(page.get_by_label("Masa")).to_have_value("self_assessment")
    _check(page, "cycle-window")
    phone.goto(page.url)
    _check(phone, "cycle-window", phone=True)
    expect(page.get_by_label("Ditutup menjadi")).to_have_value("2027-03-31T16:00")  # starts from the current one
    page.get_by_label("Ditutup menjadi").fill("2027-04-14T16:00")
    page.get_by_label("Alasan").fill("Banjir di beberapa kabupaten; waktu pengisian diperpanjang dua minggu.")
    page.get_by_role("button", name="Simpan perubahan masa").click()
    expect(page.locator(".alert-success")).to_contain_text("Masa Penilaian mandiri kini ditutup")
    history = page.get_by_role("region", name="Riwayat perubahan masa")
    expect(history).to_contain_text("Banjir di beberapa kabupaten")
    change = CycleWindowChange.objects.get(cycle=cycle)
    assert timezone.localtime(change.new_closes).strftime("%Y-%m-%d %H:%M") == "2027-04-14 16:00"
    assert timezone.localtime(change.old_closes).strftime("%Y-%m-%d %H:%M") == "2027-03-31 16:00"
    _check(page, "cycle-detail-extended")
    phone.goto(page.url)
    _check(phone, "cycle-detail-extended", phone=True)

    # The list: the 2027 cycle is open, with its counts.
    page.get_by_role("link", name="Siklus program").click()
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="KKS 2027", exact=True))
    expect(item).to_contain_text("Dibuka")
    expect(item).to_contain_text("Tahun 2027 · data 2025/2026")
    expect(item).to_contain_text("3 kabupaten/kota di 1 provinsi")
    _check(page, "cycle-list-after")
    phone.goto(page.url)
    _check(phone, "cycle-list", phone=True)
