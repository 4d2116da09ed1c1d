"""SIPANTAS exchange: the export of a seeded regency read back (JSON and XLSX), the crosswalk import
(command and admin page, row-level errors, all rows or none) and who may download."""

import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import resolve, reverse

from evaluations import exports
from evaluations.models import Response, SipantasIndicator, SipantasRegency
from evaluations.selectors.sipantas import sipantas_export
from evaluations.services.evidence import evidence_add
from evaluations.services.general_data import FundingInput, general_data_update
from evaluations.services.sipantas import INDICATORS, REGENCIES, crosswalk_import
from evaluations.tests import samples
from evaluations.tests.workflow import accept, fresh, submitted

pytestmark = pytest.mark.django_db


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def seeded(assessment, framework, coordinator, reviewer, provincial, admin_user):
    """Kota Kediri: T1-01 accepted by the health office and sent back by the province with a note,
    evidence of both years on T1-01, one 2023 evidence on K-01, ids for all but T2-03 and K-02."""
    responses = {r.indicator.code: r for r in assessment.responses.select_related("indicator")}
    t101 = responses["T1-01"]
    first = evidence_add(response=t101, uploaded=samples.pdf("laporan-2024.pdf"), actor=coordinator, title="Lap 24")
    second = evidence_add(
        response=t101, uploaded=samples.pdf("laporan-2023.pdf"), actor=coordinator, title="Lap 23", data_year=2023
    )
    k01 = evidence_add(
        response=responses["K-01"], uploaded=samples.pdf("sk.pdf"), actor=coordinator, title="SK", data_year=2023
    )
    submitted(t101, coordinator, value=100)
    accept(t101, reviewer)
    t = fresh(t101)
    from evaluations.models import RevisionReason
    from evaluations.services.responses import REVISE, response_review

    reason = RevisionReason.objects.get_or_create(code="bukti-tidak-lengkap", defaults={"label": "Bukti kurang"})[0]
    response_review(
        response=t, actor=provincial, version=t.version, decision=REVISE, value=50, reason=reason, note="Lampirkan SK"
    )
    Response.objects.filter(pk=t101.pk).update(
        achievement="=92% posyandu aktif", achievement_previous="85%", explanation="Data Dinkes"
    )
    general_data_update(
        assessment=assessment, actor=coordinator, head_name="Vinanda", forum_chair_name="Ferry", office_address="Jl. A",
        districts=[], villages=[], fundings={"forum": FundingInput(apbd=Decimal("1500000.50"))},
    )  # fmt: skip
    codes = [c for c in framework.indicators.values_list("code", flat=True) if c not in ("T2-03", "K-02")]
    content = _csv("kode,indikator_id", *(f"{c},SIP-{c}" for c in codes))
    assert crosswalk_import(kind=INDICATORS, content=content, actor=admin_user, framework=framework).ok
    assert crosswalk_import(
        kind=REGENCIES, content=_csv("kode_wilayah;kabupaten_id", "35.71;3571"), actor=admin_user
    ).ok
    return {"first": first, "second": second, "k01": k01}


def _json(client, user, assessment):
    client.force_login(user)
    page = client.get(reverse("evaluations:assessment-sipantas-json", args=[assessment.pk]))
    assert page.status_code == 200
    assert page["Content-Disposition"] == 'attachment; filename="sipantas-kota-kediri-2025.json"'
    return json.loads(page.content)


def test_the_json_export_reads_back_with_fields_years_and_evidence_links(client, assessment, coordinator, seeded):
    doc = _json(client, coordinator, assessment)

    assert (doc["kabupaten_id"], doc["kode_wilayah"], doc["tahun"], doc["tahun_sebelumnya"]) == (
        "3571",
        "35.71",
        2024,
        2023,
    )
    assert doc["odf"] == {
        "jumlah_kecamatan": 5,
        "jumlah_desa_kelurahan": 50,
        "jumlah_desa_stop_babs": 50,
        "persentase": 100.0,
    }
    rows = {r["kode"]: r for r in doc["indikator"]}
    assert [r["kode"] for r in doc["kelembagaan"]] == ["K-01", "K-02"]
    t = rows["T1-01"]
    assert {k: t[k] for k in ("indikator_id", "tatanan", "capaian", "capaian_sebelumnya", "nilai_mandiri",
                             "nilai_provinsi", "penjelasan_kabupaten", "penjelasan_provinsi", "status", "tingkat",
                             "tahun", "tahun_sebelumnya")} == {
        "indikator_id": "SIP-T1-01", "tatanan": 1, "capaian": "=92% posyandu aktif", "capaian_sebelumnya": "85%",
        "nilai_mandiri": 100, "nilai_provinsi": 50, "penjelasan_kabupaten": "Data Dinkes",
        "penjelasan_provinsi": "Lampirkan SK", "status": "revision_requested", "tingkat": "provinsi",
        "tahun": 2024, "tahun_sebelumnya": 2023,
    }  # fmt: skip
    # One link per evidence, labelled with its year (N first), absolute, to the guarded download view.
    assert [(b["tahun"], b["judul"], b["nama_berkas"]) for b in t["bukti"]] == [
        (2024, "Lap 24", "laporan-2024.pdf"),
        (2023, "Lap 23", "laporan-2023.pdf"),
    ]
    for link, evidence in zip(t["bukti"], (seeded["first"], seeded["second"]), strict=True):
        assert link["url"] == settings.KKS_SITE_URL + f"/bukti/berkas/{evidence.current_id}/unduh/"
        path = link["url"].removeprefix(settings.KKS_SITE_URL)
        assert resolve(path).url_name == "evidence-download"
        download = client.get(path)
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == link["sha256"]
    assert rows["T1-02"]["bukti"] == []
    assert [b["tahun"] for b in doc["kelembagaan"][0]["bukti"]] == [2023]
    # The rows without an id are exported with None and named.
    assert rows["T2-03"]["indikator_id"] is None
    assert doc["missing_ids"] == [{"jenis": "indikator", "kode": "K-02"}, {"jenis": "indikator", "kode": "T2-03"}]
    assert doc["data_umum"]["bupati_walikota"] == "Vinanda"
    assert doc["data_umum"]["pendanaan"][1] == {
        "lembaga": "forum", "apbd": 1500000.5, "apbdes": None, "lainnya": None, "sumber_lainnya": ""
    }  # fmt: skip


def test_the_xlsx_export_reads_back_to_the_same_document(client, assessment, coordinator, seeded):
    doc = _json(client, coordinator, assessment)
    page = client.get(reverse("evaluations:assessment-sipantas-xlsx", args=[assessment.pk]))
    assert page["Content-Disposition"] == 'attachment; filename="sipantas-kota-kediri-2025.xlsx"'
    back = exports.sipantas_from_xlsx(page.content)
    doc.pop("data_umum")
    assert back == doc
    # A capaian that looks like a formula is stored as text, not run.
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(page.content))["indikator"]
    cell = next(row[4] for row in ws.iter_rows(min_row=2) if row[1].value == "T1-01")
    assert (cell.value, cell.data_type) == ("=92% posyandu aktif", "s")


def test_a_regency_without_kabupaten_id_is_named_missing(assessment, seeded):
    SipantasRegency.objects.all().delete()
    doc = sipantas_export(assessment=assessment, base_url="https://kks.example.id/")
    assert doc["kabupaten_id"] is None
    assert doc["missing_ids"][0] == {"jenis": "kabupaten", "kode": "35.71"}
    assert doc["indikator"][0]["bukti"][0]["url"].startswith("https://kks.example.id/bukti/berkas/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("reviewer", 200), ("provincial", 200), ("national", 200), ("opd_officer", 403),
     ("outsider", 404)],
)  # fmt: skip
def test_who_may_download_is_who_may_read_the_report(request, client, assessment, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for name in ("evaluations:assessment-sipantas-json", "evaluations:assessment-sipantas-xlsx"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == status


# --- crosswalk import ------------------------------------------------------------------------


def test_every_bad_row_is_named_and_nothing_is_saved(framework, admin_user):
    content = _csv("kode,indikator_id", "T1-01,A", "T9-99,B", "T1-01,C", "T1-02,", "T1-03,A", ",D")
    result = crosswalk_import(kind=INDICATORS, content=content, actor=admin_user, framework=framework)
    assert [str(e) for e in result.errors] == [
        "Baris 3: Kode T9-99 tidak ada di kerangka " + framework.code + ".",
        "Baris 4: T1-01 sudah ada di baris 2.",
        "Baris 5: Kolom indikator_id kosong.",
        "Baris 6: ID A sudah dipakai di baris 2.",
        "Baris 7: Kolom kode kosong.",
    ]
    assert not SipantasIndicator.objects.exists()


def test_a_file_without_the_columns_or_not_utf8_is_refused(framework, admin_user):
    bad_header = crosswalk_import(kind=REGENCIES, content=_csv("kode,id", "35.71,1"), actor=admin_user)
    assert [str(e) for e in bad_header.errors] == [
        "Baris 1: Kolom kode_wilayah, kabupaten_id tidak ada di baris judul."
    ]
    latin = crosswalk_import(
        kind=REGENCIES, content="kode_wilayah,kabupaten_id\n35.71,Ø\n".encode("latin-1"), actor=admin_user
    )
    assert "UTF-8" in latin.errors[0].message
    unknown = crosswalk_import(
        kind=REGENCIES, content=_csv("kode_wilayah,kabupaten_id", "35", "99.99,2"), actor=admin_user
    )
    assert [e.line for e in unknown.errors] == [2, 2, 3]
    assert not SipantasRegency.objects.exists()


def test_a_good_file_creates_then_updates_with_history(framework, admin_user, regency):
    first = crosswalk_import(kind=REGENCIES, content=_csv("kode_wilayah,kabupaten_id", "35.71,3571"), actor=admin_user)
    assert (first.created, first.saved) == (1, True)
    again = crosswalk_import(
        kind=REGENCIES, content=_csv("kode_wilayah,kabupaten_id", "35.71,X-3571"), actor=admin_user
    )
    assert (again.created, again.updated) == (0, 1)
    row = SipantasRegency.objects.get()
    assert row.kabupaten_id == "X-3571"
    assert [h.history_user for h in row.audit.all()] == [admin_user, admin_user]
    dry = crosswalk_import(
        kind=REGENCIES, content=_csv("kode_wilayah,kabupaten_id", "35.71,Y"), actor=admin_user, dry_run=True
    )
    assert (dry.updated, dry.saved, SipantasRegency.objects.get().kabupaten_id) == (1, False, "X-3571")


def test_only_the_national_admin_imports(framework, coordinator, national):
    from django.core.exceptions import PermissionDenied

    for user in (coordinator, national):
        with pytest.raises(PermissionDenied):
            crosswalk_import(kind=REGENCIES, content=_csv("kode_wilayah,kabupaten_id"), actor=user)


def test_the_command_imports_or_lists_the_bad_rows(tmp_path, framework, admin_user, capsys):
    admin_user.is_superuser = True
    admin_user.save()
    good = tmp_path / "ids.csv"
    good.write_bytes(_csv("kode,indikator_id", "T1-01,A1", "K-01,K1"))
    call_command("import_sipantas", "indikator", str(good), "--framework", framework.code)
    assert dict(SipantasIndicator.objects.values_list("indicator_code", "indikator_id")) == {
        "T1-01": "A1",
        "K-01": "K1",
    }
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("kode,indikator_id", "T1-02,B", "X-1,C"))
    with pytest.raises(CommandError, match="1 masalah; tidak ada yang disimpan"):
        call_command("import_sipantas", "indikator", str(bad), "--framework", framework.code)
    assert "Baris 3: Kode X-1 tidak ada" in capsys.readouterr().err
    assert SipantasIndicator.objects.count() == 2


def test_the_admin_page_shows_row_errors_and_saves_a_good_file(client, framework, admin_user, coordinator, regency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("evaluations:sipantas-crosswalk")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("ids.csv", _csv("kode,indikator_id", "T1-01,A", "T9-09,B"), "text/csv")
    html = client.post(url, {"kind": INDICATORS, "framework": framework.pk, "file": bad}).content.decode()
    assert "<td>3</td><td>Kode T9-09 tidak ada di kerangka" in html
    assert not SipantasIndicator.objects.exists()
    good = SimpleUploadedFile("kab.csv", _csv("kode_wilayah,kabupaten_id", "35.71,3571"), "text/csv")
    html = client.post(url, {"kind": REGENCIES, "file": good}).content.decode()
    assert "Tersimpan." in html
    assert SipantasRegency.objects.get().kabupaten_id == "3571"
