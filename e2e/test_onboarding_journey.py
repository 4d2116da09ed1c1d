"""Onboarding in a real browser: a provincial official imports three coordinators from a CSV with one bad
row, fixes it, imports; one coordinator opens the invitation link, sets a password, logs in.

axe-core on every page; screenshots at 390 px and desktop in /tmp/kks-e2e/.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from forums.models import User
from forums.tests.factories import RegencyFactory

from .conftest import PHONE, TIMEOUT_MS, axe_check, screenshot

pytestmark = pytest.mark.browser

HEADER = "username;nama lengkap;email;telepon;peran;kode wilayah;singkatan OPD"
ROWS = [
    "koor_kediri;Ani Lestari;ani@example.test;0811111;Koordinator Forum KKS;35.71;",
    "koor_kabkediri;Bayu Pratama;bayu@example.test;;forum_coordinator;35.06;",
    "koor_blitar;Citra Dewi;citra@example.test;;forum_coordinator;{code};",
]


def _write_csv(tmp_path, code: str):
    path = tmp_path / f"koordinator-{code}.csv"
    lines = [HEADER, *ROWS[:2], ROWS[2].format(code=code)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))  # as Excel's "CSV UTF-8" writes it
    return path


def _both_sizes(browser, page, name: str) -> None:
    """A desktop screenshot of the current page, and the same URL on a 390 px phone (with axe there too)."""
    screenshot(page, f"onboarding-{name}-desktop", full_page=True)
    context = browser.new_context(**PHONE, storage_state=page.context.storage_state())
    phone = context.new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(page.url)
    axe_check(phone, context=f"{name} on a phone")
    screenshot(phone, f"onboarding-{name}-phone", full_page=True)
    context.close()


def test_provincial_official_onboards_coordinators(
    transactional_db, province, regency, provincial, login, page, browser, live_server, tmp_path
):
    RegencyFactory(code="35.06", name="Kabupaten Kediri", parent=province)
    RegencyFactory(code="35.05", name="Kabupaten Blitar", parent=province)
    page.set_viewport_size({"width": 1280, "height": 900})

    login(page, provincial)
    page.get_by_role("link", name="Pengguna").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengguna")
    axe_check(page, context="user list")
    _both_sizes(browser, page, "list")
    page.get_by_role("link", name="Impor dari CSV/XLSX").click()
    axe_check(page, context="import form")

    # A typo in a region code: the row is named, nothing is written.
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(_write_csv(tmp_path, "35.99"))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_text("Baris 4, kolom kode wilayah: Kode wilayah 35.99 tidak dikenal.")).to_be_visible()
    axe_check(page, context="import with an error")
    screenshot(page, "onboarding-import-error-desktop", full_page=True)
    assert not User.objects.filter(username__startswith="koor_").exists()

    # Fixed and uploaded again: a preview, then the import.
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(_write_csv(tmp_path, "35.05"))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_role("button", name="Impor 3 akun")).to_be_visible()
    axe_check(page, context="import preview")
    _both_sizes(browser, page, "preview")
    assert not User.objects.filter(username__startswith="koor_").exists()
    page.get_by_role("button", name="Impor 3 akun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 akun diimpor")
    axe_check(page, context="import result")
    _both_sizes(browser, page, "result")
    assert set(User.objects.filter(username__startswith="koor_").values_list("username", flat=True)) == {
        "koor_kediri",
        "koor_kabkediri",
        "koor_blitar",
    }

    # Ani opens her invitation in another browser, sets a password, logs in.
    message = next(m for m in mail.outbox if m.to == ["ani@example.test"])
    link = re.search(r"/akun/undangan/[^/\s]+/[^/\s]+/", message.body).group(0)
    context = browser.new_context(**PHONE)
    ani = context.new_page()
    ani.set_default_timeout(TIMEOUT_MS)
    ani.goto(f"{live_server.url}{link}")
    expect(ani.get_by_role("heading", level=1)).to_have_text("Selamat datang di platform KKS")
    axe_check(ani, context="invitation")
    screenshot(ani, "onboarding-invitation-phone", full_page=True)
    ani.locator("#id_new_password1").fill("Kediri-Sehat-2027!")
    ani.locator("#id_new_password2").fill("Kediri-Sehat-2027!")
    ani.get_by_role("button", name="Simpan kata sandi").click()
    ani.wait_for_url(re.compile(r".*/akun/login/$"))
    expect(ani.get_by_text("Kata sandi tersimpan")).to_be_visible()
    axe_check(ani, context="login after invitation")
    ani.get_by_label("Nama pengguna").fill("koor_kediri")
    ani.get_by_label("Sandi").fill("Kediri-Sehat-2027!")
    ani.get_by_role("button", name="Masuk").click()
    ani.wait_for_url(f"{live_server.url}/")
    expect(ani.get_by_role("heading", level=1)).to_contain_text("Ani Lestari")
    axe_check(ani, context="home of the new coordinator")
    screenshot(ani, "onboarding-home-phone", full_page=True)

    # The link was for one use only.
    ani.goto(f"{live_server.url}{link}")
    expect(ani.get_by_text("Tautan undangan ini tidak berlaku lagi")).to_be_visible()
    context.close()


def test_other_account_pages_pass_axe_on_phone_and_desktop(
    transactional_db, coordinator, opd_officer, provincial, reviewer, session_page, live_server
):
    pages = {
        provincial: [
            ("create", reverse("accounts:user-create")),
            ("edit", reverse("accounts:user-edit", args=[reviewer.pk])),
            ("deactivate", reverse("accounts:user-deactivate", args=[reviewer.pk])),
            ("reactivate", reverse("accounts:user-reactivate", args=[reviewer.pk])),
            ("transfer", reverse("accounts:user-transfer", args=[reviewer.pk])),
            ("import", reverse("accounts:user-import")),
        ],
        coordinator: [
            ("list-coordinator", reverse("accounts:user-list")),
            ("create-coordinator", reverse("accounts:user-create")),
            ("edit-officer", reverse("accounts:user-edit", args=[opd_officer.pk])),
        ],
    }
    for user, visits in pages.items():
        for size, context_args in (("desktop", {"viewport": {"width": 1280, "height": 900}}), ("phone", PHONE)):
            page = session_page(user, **context_args)
            for name, url in visits:
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, url
                expect(page.get_by_role("heading", level=1)).to_have_count(1)
                axe_check(page, context=f"{name} ({size})")
                screenshot(page, f"accounts-{name}-{size}", full_page=True)
