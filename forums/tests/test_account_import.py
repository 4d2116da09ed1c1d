"""Bulk import of accounts: parse to a preview with per-row, per-field errors; commit all or nothing; the command."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from forums.models import Role, User, UserImport
from forums.services import account_import
from forums.services.account_import import users_import_commit, users_import_parse, users_import_stage
from forums.tests.factories import OpdFactory, RegencyFactory

pytestmark = pytest.mark.django_db

HEADER = "username,nama lengkap,email,telepon,peran,kode wilayah,singkatan OPD"


def csv_file(*lines, name="akun.csv", header=HEADER, encoding="utf-8", delimiter=","):
    text = "\n".join([header, *lines]).replace(",", delimiter) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="akun.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def sibling(province):
    return RegencyFactory(code="35.06", name="Kabupaten Kediri", parent=province)


GOOD = [
    "koor_a,Ani Lestari,ani@example.test,0811,forum_coordinator,35.71,",
    "koor_b,Bayu Pratama,bayu@example.test,,Koordinator Forum KKS,35.06,",
    "rev_prov,Citra Dewi,citra@example.test,,health_reviewer,35,",
]


def test_a_good_csv_previews_then_commits(provincial, regency, sibling, django_capture_on_commit_callbacks):
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)

    assert preview.ok, preview.error_lines()
    assert [r.number for r in preview.rows] == [2, 3, 4]
    assert not User.objects.filter(username__startswith="koor_").exists()  # the parse writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        users = users_import_commit(preview=preview, actor=provincial)

    assert {(u.username, u.role, u.region.code) for u in users} == {
        ("koor_a", Role.FORUM_COORDINATOR, "35.71"),
        ("koor_b", Role.FORUM_COORDINATOR, "35.06"),
        ("rev_prov", Role.HEALTH_REVIEWER, "35"),
    }
    assert all(not u.has_usable_password() for u in users)
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@example.test", "bayu@example.test", "citra@example.test"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_semicolons_and_bom_as_indonesian_excel_writes_them(provincial, regency, sibling, delimiter):
    upload = csv_file(*GOOD, delimiter=delimiter, encoding="utf-8-sig")
    preview = users_import_parse(file=upload, actor=provincial)
    assert preview.ok, preview.error_lines()
    assert preview.rows[0].values["username"] == "koor_a"


def test_xlsx_first_sheet(provincial, regency, sibling):
    rows = [HEADER.split(","), ["koor_a", "Ani", "ani@example.test", 62811, "forum_coordinator", "35.71", None]]
    preview = users_import_parse(file=xlsx_file(rows), actor=provincial)
    assert preview.ok, preview.error_lines()
    assert preview.rows[0].values["phone"] == "62811"


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("koordinator,Ani,ani@example.test,,forum_coordinator,35.71,", "username", "sudah dipakai"),
        (",Ani,ani@example.test,,forum_coordinator,35.71,", "username", "wajib"),
        ("koor_x,,ani@example.test,,forum_coordinator,35.71,", "nama lengkap", "wajib"),
        ("koor_x,Ani,ani-at-example,,forum_coordinator,35.71,", "email", "tidak sah"),
        ("koor_x,Ani,koordinator@example.test,,forum_coordinator,35.71,", "email", "sudah dipakai"),
        ("koor_x,Ani,ani@example.test,,raja,35.71,", "peran", "tidak dikenal"),
        ("koor_x,Ani,ani@example.test,,national_verifier,,", "peran", "tidak berwenang"),
        ("koor_x,Ani,ani@example.test,,forum_coordinator,99.99,", "kode wilayah", "tidak dikenal"),
        ("koor_x,Ani,ani@example.test,,forum_coordinator,35,", "kode wilayah", "bukan tingkat wilayah"),
        ("koor_x,Ani,ani@example.test,,forum_coordinator,73.71,", "kode wilayah", "di luar wilayah"),
    ],
)
def test_each_bad_row_names_its_row_and_column(provincial, coordinator, regency, other_regency, line, column, fragment):
    preview = users_import_parse(file=csv_file(GOOD[0].replace("koor_a", "ok_1"), line), actor=provincial)

    assert not preview.ok
    assert preview.rows[0].ok, preview.rows[0].error_lines()
    lines = preview.rows[1].error_lines()
    assert any(text.startswith(f"Baris 3, kolom {column}:") and fragment in text for text in lines), lines
    with pytest.raises(ValidationError):
        users_import_commit(preview=preview, actor=provincial)
    assert not User.objects.filter(username="ok_1").exists()


def test_duplicates_within_the_file(provincial, regency):
    preview = users_import_parse(
        file=csv_file(GOOD[0], GOOD[0].replace("ani@", "lain@"), GOOD[0].replace("koor_a", "koor_c")), actor=provincial
    )
    assert preview.rows[1].errors["username"] == ["Nama pengguna koor_a sudah ada di baris 2."]
    assert preview.rows[2].errors["email"] == ["E-mail ani@example.test sudah ada di baris 2."]


def test_opd_of_another_regency_and_unknown_opd(coordinator, regency, sibling, opd):
    OpdFactory(regency=sibling, short_name="Bappeda")
    preview = users_import_parse(
        file=csv_file(
            "p1,Dedi,dedi@example.test,,opd_officer,35.71,Dinkes",
            "p2,Eka,eka@example.test,,opd_officer,35.71,Bappeda",
            "p3,Fajar,fajar@example.test,,Petugas OPD,35.71,Tidakada",
            "p4,Gita,gita@example.test,,opd_officer,35.71,",
            "p5,Hadi,hadi@example.test,,opd_officer,35.06,Bappeda",
        ),
        actor=coordinator,
    )
    assert preview.rows[0].ok, preview.rows[0].error_lines()
    assert "bukan OPD Kota Kediri" in preview.rows[1].errors["opd_short_name"][0]
    assert "tidak dikenal" in preview.rows[2].errors["opd_short_name"][0]
    assert "memerlukan OPD" in preview.rows[3].errors["opd_short_name"][0]
    assert "di luar wilayah" in preview.rows[4].errors["region_code"][0]


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (SimpleUploadedFile("akun.xls", b"\xd0\xcf\x11\xe0"), "Jenis berkas tidak didukung"),
        (SimpleUploadedFile("akun.pdf", b"%PDF-1.4"), "Jenis berkas tidak didukung"),
        (SimpleUploadedFile("akun.xlsx", b"bukan zip"), "XLSX rusak"),
        (SimpleUploadedFile("akun.xlsx", b"PK\x03\x04" + b"\x00" * 40), "XLSX rusak"),
        (SimpleUploadedFile("akun.csv", "username;nama\n".encode("utf-16")), "bukan UTF-8"),
        (SimpleUploadedFile("akun.csv", b"username,nama lengkap,email\nx,y,z\n"), "peran, kode wilayah"),
        (SimpleUploadedFile("akun.csv", b""), "kosong"),
        (SimpleUploadedFile("akun.csv", (HEADER + "\n").encode()), "tidak berisi baris data"),
        (SimpleUploadedFile("akun.csv", b"a,b\x00c\n"), "NUL"),
    ],
)
def test_malformed_files(provincial, upload, fragment):
    preview = users_import_parse(file=upload, actor=provincial)
    assert not preview.ok
    assert any(fragment in e for e in preview.file_errors), preview.file_errors


def test_limits_on_rows_and_size(provincial, monkeypatch):
    monkeypatch.setattr(account_import, "MAX_ROWS", 2)
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)
    assert "Terlalu banyak baris" in preview.file_errors[0]
    monkeypatch.setattr(account_import, "MAX_BYTES", 50)
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)
    assert "terlalu besar" in preview.file_errors[0]


def test_commit_checks_again_and_writes_nothing_when_a_row_went_bad(provincial, regency, sibling):
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)
    staged = users_import_stage(preview=preview, actor=provincial)
    User.objects.create(username="koor_b", email="lain@example.test")  # taken meanwhile

    with pytest.raises(ValidationError) as exc:
        users_import_commit(preview=preview, actor=provincial, staged=staged)

    assert "Baris 3, kolom username" in exc.value.messages[0]
    assert not User.objects.filter(username__in=["koor_a", "rev_prov"]).exists()
    staged.refresh_from_db()
    assert staged.committed_at is None


def test_a_staged_upload_commits_once(provincial, regency, sibling):
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)
    staged = users_import_stage(preview=preview, actor=provincial)
    users_import_commit(preview=preview, actor=provincial, staged=staged)
    with pytest.raises(ValidationError):
        users_import_commit(preview=preview, actor=provincial, staged=staged)
    assert UserImport.objects.get().created_usernames == ["koor_a", "koor_b", "rev_prov"]


def test_staging_refuses_a_preview_with_errors(provincial):
    preview = users_import_parse(file=csv_file("x,,,,,,"), actor=provincial)
    with pytest.raises(ValidationError):
        users_import_stage(preview=preview, actor=provincial)
    assert not UserImport.objects.exists()


# --- the command ------------------------------------------------------------------


def _write(tmp_path, *lines, name="akun.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_command_dry_run_on_a_bad_file_fails_and_changes_nothing(admin_user, regency, tmp_path, capsys):
    path = _write(tmp_path, GOOD[0], "koor_a,Dup,dup@example.test,,forum_coordinator,35.71,")
    count = User.objects.count()

    with pytest.raises(CommandError, match="1 baris bermasalah"):
        call_command("import_users", str(path), "--dry-run")

    assert "Baris 3, kolom username" in capsys.readouterr().err
    assert User.objects.count() == count


def test_command_without_dry_run_on_a_bad_file_writes_nothing(admin_user, regency, tmp_path):
    path = _write(tmp_path, GOOD[0], "koor_z,Zed,z@example.test,,forum_coordinator,00.00,")
    with pytest.raises(CommandError):
        call_command("import_users", str(path))
    assert not User.objects.filter(username="koor_a").exists()


def test_command_imports_a_good_file(admin_user, regency, sibling, tmp_path, capsys):
    path = _write(tmp_path, *GOOD)

    call_command("import_users", str(path), "--dry-run")
    assert not User.objects.filter(username="koor_a").exists()
    call_command("import_users", str(path))

    assert "3 akun dibuat" in capsys.readouterr().out
    assert User.objects.filter(username__in=["koor_a", "koor_b", "rev_prov"]).count() == 3


def test_command_actor_and_missing_file(provincial, admin_user, regency, tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_users", str(tmp_path / "tidak.csv"))
    path = _write(tmp_path, "rev,Rev,rev@example.test,,national_verifier,,")
    with pytest.raises(CommandError):
        call_command("import_users", str(path), "--user", "provinsi")  # above the provincial official
    assert not User.objects.filter(username="rev").exists()


def test_xlsx_bad_row_is_named_by_its_sheet_row(provincial, regency):
    rows = [
        HEADER.split(","),
        [None] * 7,  # a blank row keeps its number in the sheet
        ["koor_a", "Ani", "ani@example.test", None, "forum_coordinator", 35.71, None],  # a number cell
        ["koor_b", "Budi", "budi@example.test", None, "forum_coordinator", "35.99", None],
    ]
    preview = users_import_parse(file=xlsx_file(rows), actor=provincial)

    assert preview.rows[0].ok, preview.rows[0].error_lines()
    assert preview.rows[1].error_lines() == ["Baris 4, kolom kode wilayah: Kode wilayah 35.99 tidak dikenal."]


def test_xlsx_missing_header_columns(provincial):
    preview = users_import_parse(file=xlsx_file([["username", "email"], ["a", "a@example.test"]]), actor=provincial)
    assert preview.file_errors == ["Baris judul tidak memuat kolom: nama lengkap, peran, kode wilayah."]


def test_english_headers_and_labels(provincial, regency):
    upload = csv_file(
        "koor_a,Ani,ani@example.test,,Forum KKS Coordinator,35.71,",
        header="Username,Full name,E-mail,Phone,Role,Region code,OPD short name",
    )
    preview = users_import_parse(file=upload, actor=provincial)
    assert preview.ok, preview.error_lines()


def test_a_failure_in_the_middle_of_the_commit_writes_nothing(provincial, regency, sibling, monkeypatch):
    preview = users_import_parse(file=csv_file(*GOOD), actor=provincial)
    real_write = account_import.account_write
    written = []

    def failing_write(*, data, actor):
        if written:
            raise RuntimeError("disk full")
        written.append(data.username)
        return real_write(data=data, actor=actor)

    monkeypatch.setattr(account_import, "account_write", failing_write)
    with pytest.raises(RuntimeError):
        users_import_commit(preview=preview, actor=provincial)

    assert written == ["koor_a"]
    assert not User.objects.filter(username="koor_a").exists()
