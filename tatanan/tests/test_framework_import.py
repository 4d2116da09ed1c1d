"""Framework import from the web: the command's parsing and errors, the flow upload -> dry run -> load/publish."""

import hashlib
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from tatanan.loader import FrameworkFileError, parse_framework
from tatanan.models import FrameworkImport, FrameworkStatus, FrameworkVersion, ImportStatus, Indicator
from tatanan.services import (
    FrameworkLoadError,
    framework_import_create,
    framework_import_load,
    framework_import_publish,
    framework_load,
)

from . import test_load_framework_errors
from .samples import SMALL_YAML, small_yaml

pytestmark = pytest.mark.django_db

UPLOAD = reverse("tatanan:import-upload")


def _command_error_cases():
    """The broken files of the command's error tests (so a case added there is checked here too)."""
    test = test_load_framework_errors.test_broken_yaml_is_refused_naming_line_and_field
    (mark,) = [m for m in test.pytestmark if m.name == "parametrize"]
    return [pytest.param(*case.values, id=case.id) for case in mark.args[1]]


def _upload(client, text, name="small.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})


def _command_errors(tmp_path, data, name="small.yaml"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_framework", str(path))
    return str(excinfo.value).splitlines()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- the same errors as the command ----------------------------------------------------------


@pytest.mark.parametrize(("replacements", "expected"), _command_error_cases())
def test_a_broken_file_shows_exactly_the_commands_errors(admin_client, tmp_path, replacements, expected):
    text = small_yaml(*replacements)

    response = _upload(admin_client, text)

    record = FrameworkImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.status == ImportStatus.INVALID
    assert record.errors == _command_errors(tmp_path, text)
    assert any(expected in e for e in record.errors)
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert escape(expected) in page.content.decode()
    assert "Muat sebagai draf" not in page.content.decode()
    assert FrameworkVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param("", "small.yaml", id="empty"),
        pytest.param('{\n  "code": "x",\n  "name": \n}\n', "small.json", id="json-syntax"),
        pytest.param(b"code: \xff\xfe\n", "small.yaml", id="not-utf8"),
        pytest.param("- code: x\n", "small.yml", id="top-level-list"),
    ],
)
def test_other_broken_files_show_the_commands_errors(admin_client, tmp_path, data, name):
    _upload(admin_client, data, name=name)

    record = FrameworkImport.objects.get()
    assert record.status == ImportStatus.INVALID
    assert record.errors == _command_errors(tmp_path, data, name=name)


def test_a_json_file_with_a_bad_value_names_line_and_field_like_the_command(admin_client, tmp_path):
    data = yaml.safe_load(SMALL_YAML)
    data["indicators"][1]["scale"][1]["value"] = 65
    text = json.dumps(data, indent=2)

    _upload(admin_client, text, name="small.json")

    record = FrameworkImport.objects.get()
    assert record.errors == _command_errors(tmp_path, text, name="small.json")
    assert "indicators[1].scale[1].value: 65 is not one of" in record.errors[0]


def test_every_problem_is_listed_with_line_and_field(admin_client):
    text = small_yaml(("    tatanan: 1\n", "    tatanan: 4\n"), ("[dinkes]", "[polisi]"), ("value: 0\n", "value: 10\n"))

    response = admin_client.get(_upload(admin_client, text)["Location"])

    errors = response.context["dry_run"].errors
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework(text, source_name="small.yaml")
    assert list(errors) == excinfo.value.errors
    assert len(errors) == 4  # the three above, and tatanan 1 is left without indicators
    assert all(e.startswith("small.yaml line ") for e in errors)


@pytest.mark.parametrize("bad", ["Pasar\u0000sehat", "Pasar\ud800sehat"], ids=["nul", "lone-surrogate"])
def test_text_that_cannot_be_stored_is_refused_naming_line_and_field(admin_client, admin_user, tmp_path, bad):
    data = yaml.safe_load(SMALL_YAML)
    data["indicators"][0]["name"] = bad
    data["nama\u0000"] = "x"
    text = json.dumps(data, indent=2)  # escapes: the file itself is plain ASCII

    _upload(admin_client, text, name="small.json")

    record = FrameworkImport.objects.get()
    assert record.status == ImportStatus.INVALID
    assert record.errors == [e.replace("\x00", "\ufffd") for e in _command_errors(tmp_path, text, name="small.json")]
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if '"name": "Pasar\\u' in row)
    assert f"small.json line {line}: indicators[0].name: contains a NUL character or a lone surrogate" in "\n".join(
        record.errors
    )
    assert admin_client.get(record.get_absolute_url()).status_code == 200
    assert FrameworkVersion.objects.count() == 0


def test_each_error_quotes_the_line_it_names(admin_client):
    text = small_yaml(
        ("      - value: 0\n        description: Tidak ada\n", "      - value: 60\n        description: Tidak ada\n")
    )
    url = _upload(admin_client, text)["Location"]

    response = admin_client.get(url)

    error, knock_on = response.context["dry_run"].error_lines
    assert (error.line, error.source) == (19, "- value: 60")
    assert (knock_on.line, knock_on.source) == (8, "- number: 1")  # tatanan 1 is left without indicators
    assert error.message.startswith("small.yaml line 19: indicators[0].scale[1].value: 60")
    assert "19 | - value: 60" in response.content.decode()


def test_an_error_without_a_line_quotes_nothing(admin_client):
    response = admin_client.get(_upload(admin_client, "")["Location"])

    (error,) = response.context["dry_run"].error_lines
    assert (error.message, error.line, error.source) == ("small.yaml: the file is empty", None, "")


# --- upload form -----------------------------------------------------------------------------


def test_an_oversize_file_is_refused_at_the_field(admin_client, settings):
    settings.KKS_FRAMEWORK_UPLOAD_MAX_BYTES = 200

    response = _upload(admin_client, SMALL_YAML)

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    size = len(SMALL_YAML.encode())
    assert errors == [f"Berkas terlalu besar ({size}\xa0bita); paling besar 200\xa0bita."]
    assert FrameworkImport.objects.count() == 0


def test_the_default_limit_is_two_mebibytes(admin_client, settings):
    assert settings.KKS_FRAMEWORK_UPLOAD_MAX_BYTES == 2 * 1024 * 1024
    big = SMALL_YAML + "#" * (2 * 1024 * 1024) + "\n"

    response = _upload(admin_client, big)

    assert "file" in response.context["form"].errors
    assert FrameworkImport.objects.count() == 0


def test_a_file_that_is_not_yaml_or_json_by_name_is_refused_at_the_field(admin_client):
    response = _upload(admin_client, SMALL_YAML, name="kerangka.xlsx")

    assert response.context["form"].errors["file"] == ["Pilih berkas .yaml, .yml atau .json."]
    assert FrameworkImport.objects.count() == 0


def test_no_file_is_refused_at_the_field(admin_client):
    response = admin_client.post(UPLOAD, {})

    assert "file" in response.context["form"].errors
    assert FrameworkImport.objects.count() == 0


# --- the flow --------------------------------------------------------------------------------


def test_a_valid_file_shows_a_summary_and_writes_only_the_import(admin_client, admin_user):
    response = admin_client.get(_upload(admin_client, SMALL_YAML)["Location"])

    record = FrameworkImport.objects.get()
    assert (record.status, record.code, record.name, record.year) == ("valid", "uji-kecil", "Kerangka uji kecil", 2025)
    assert record.uploaded_by == admin_user
    assert record.file_name == "small.yaml"
    assert record.sha256 == hashlib.sha256(SMALL_YAML.encode()).hexdigest()
    assert record.size == len(SMALL_YAML.encode())
    assert record.content == SMALL_YAML
    assert FrameworkVersion.objects.count() == 0
    page = response.content.decode()
    assert "Berkas valid" in page
    assert "1 tatanan" in page
    assert "1 indikator tatanan" in page
    assert "1 indikator kelembagaan" in page
    assert "Kerangka baru uji-kecil akan dibuat." in page


def test_load_as_draft_then_publish_uses_the_stored_content(admin_client, admin_user):
    record_url = _upload(admin_client, SMALL_YAML)["Location"]
    record = FrameworkImport.objects.get()

    response = admin_client.post(reverse("tatanan:import-load", args=[record.pk]))

    assert response["Location"] == record_url
    record.refresh_from_db()
    framework = FrameworkVersion.objects.get(code="uji-kecil")
    assert (record.status, record.framework) == (ImportStatus.LOADED, framework)
    assert framework.status == FrameworkStatus.DRAFT
    assert framework.checksum == record.sha256
    assert Indicator.objects.filter(framework=framework).count() == 2

    confirm = admin_client.get(reverse("tatanan:import-publish", args=[record.pk]))
    assert confirm.status_code == 200
    assert "Ya, terbitkan" in confirm.content.decode()
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.DRAFT  # GET never writes

    response = admin_client.post(reverse("tatanan:import-publish", args=[record.pk]))

    assert response["Location"] == reverse("tatanan:framework-list")
    record.refresh_from_db()
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert (record.status, record.published_by) == (ImportStatus.PUBLISHED, admin_user)
    assert record.published_at is not None
    listing = admin_client.get(response["Location"]).content.decode()
    assert "Kerangka uji kecil" in listing
    assert "Kerangka uji-kecil diterbitkan." in listing


def test_publishing_a_new_file_directly_creates_and_publishes(admin_client):
    record_url = _upload(admin_client, SMALL_YAML)["Location"]
    record = FrameworkImport.objects.get()
    assert record_url == record.get_absolute_url()

    response = admin_client.post(reverse("tatanan:import-publish", args=[record.pk]), follow=True)

    assert FrameworkVersion.objects.get().status == FrameworkStatus.PUBLISHED
    assert "Kerangka uji-kecil diterbitkan." in response.content.decode()
    response = admin_client.post(reverse("tatanan:import-publish", args=[record.pk]), follow=True)
    assert "sudah terbit dari berkas yang sama" in response.content.decode()


def test_publishing_again_changes_nothing(admin_client, admin_user):
    record = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    framework_import_publish(framework_import=record, actor=admin_user)
    published_at = FrameworkVersion.objects.get().published_at
    record.refresh_from_db()
    first = (record.published_at, record.published_by)

    response = admin_client.post(reverse("tatanan:import-publish", args=[record.pk]))

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.published_at, record.published_by) == first
    assert FrameworkVersion.objects.get().published_at == published_at
    assert FrameworkVersion.objects.count() == 1


def test_the_same_file_as_a_published_framework_publishes_idempotently(admin_user, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_YAML, encoding="utf-8")
    call_command("load_framework", str(path), "--publish")
    framework = FrameworkVersion.objects.get()

    record = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    assert record.status == ImportStatus.VALID
    result = framework_import_publish(framework_import=record, actor=admin_user)

    assert result.outcome == "unchanged"
    record.refresh_from_db()
    assert (record.status, record.framework) == (ImportStatus.PUBLISHED, framework)
    assert FrameworkVersion.objects.get().published_at == framework.published_at


def test_a_file_changing_a_published_code_is_refused_with_the_commands_message(admin_client, admin_user, tmp_path):
    framework_load(data=SMALL_YAML, source_name="small.yaml", publish=True)
    changed = small_yaml(("    name: Pasar sehat\n", "    name: Pasar sehat sekali\n"))
    with pytest.raises(FrameworkLoadError) as excinfo:
        framework_load(data=changed, source_name="small.yaml")

    response = admin_client.get(_upload(admin_client, changed)["Location"])

    record = FrameworkImport.objects.latest("pk")
    assert record.status == ImportStatus.INVALID
    assert record.errors == [str(excinfo.value)]
    assert _command_errors(tmp_path, changed) == record.errors
    assert escape(str(excinfo.value)) in response.content.decode()
    assert admin_client.post(reverse("tatanan:import-publish", args=[record.pk])).status_code == 302
    assert "Pasar sehat sekali" not in Indicator.objects.values_list("name", flat=True)


def test_a_refusal_arising_after_the_dry_run_is_shown_and_recorded(admin_client, admin_user):
    changed = small_yaml(("    name: Pasar sehat\n", "    name: Pasar sehat sekali\n"))
    record = framework_import_create(file_name="small.yaml", data=changed.encode(), actor=admin_user)
    framework_load(data=SMALL_YAML, source_name="other.yaml", publish=True)  # someone publishes the code meanwhile

    page = admin_client.get(record.get_absolute_url()).content.decode()
    assert "tidak dapat dimuat" in page
    assert "is published and cannot be changed" in page
    assert "Ya, terbitkan" not in page
    assert admin_client.get(reverse("tatanan:import-publish", args=[record.pk])).status_code == 302

    response = admin_client.post(reverse("tatanan:import-publish", args=[record.pk]), follow=True)

    assert "is published and cannot be changed" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.INVALID
    assert "is published and cannot be changed" in record.errors[0]


def test_a_draft_is_replaced_by_a_new_import_of_the_same_code(admin_client, admin_user):
    first = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    framework_import_load(framework_import=first, actor=admin_user)
    changed = small_yaml(("    name: Pasar sehat\n", "    name: Pasar sehat sekali\n"))
    second = framework_import_create(file_name="small-r.yaml", data=changed.encode(), actor=admin_user)

    result = framework_import_load(framework_import=second, actor=admin_user)

    assert result.outcome == "replaced"
    assert FrameworkVersion.objects.get().checksum == second.sha256
    assert Indicator.objects.get(code="T1-01").name == "Pasar sehat sekali"
    first.refresh_from_db()
    assert first.is_superseded
    second.refresh_from_db()
    assert not second.is_superseded
    page = admin_client.get(first.get_absolute_url()).content.decode()
    assert "draf itu sudah diganti dengan berkas lain" in page


def test_an_invalid_import_cannot_be_loaded(admin_client, admin_user):
    record = framework_import_create(file_name="small.yaml", data=b"code: [", actor=admin_user)

    response = admin_client.post(reverse("tatanan:import-load", args=[record.pk]), follow=True)

    assert "not valid YAML" in response.content.decode()
    assert FrameworkVersion.objects.count() == 0
    with pytest.raises(FrameworkLoadError):
        framework_import_publish(framework_import=record, actor=admin_user)


def test_stored_content_that_no_longer_matches_its_checksum_is_not_loaded(admin_user):
    record = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    FrameworkImport.objects.filter(pk=record.pk).update(content=SMALL_YAML.replace("Pasar sehat", "Pasar palsu"))

    with pytest.raises(FrameworkLoadError, match="no longer matches"):
        framework_import_publish(framework_import=record, actor=admin_user)
    assert FrameworkVersion.objects.count() == 0


def test_a_file_with_a_byte_order_mark_keeps_the_commands_checksum(admin_user):
    data = b"\xef\xbb\xbf" + SMALL_YAML.encode()
    record = framework_import_create(file_name="small.yaml", data=data, actor=admin_user)

    framework_import_publish(framework_import=record, actor=admin_user)

    framework = FrameworkVersion.objects.get()
    assert framework.checksum == hashlib.sha256(data).hexdigest() == record.sha256
    assert framework_load(data=data, source_name="small.yaml", publish=True).outcome == "unchanged"


def test_a_path_in_the_uploaded_name_is_dropped(admin_user):
    record = framework_import_create(file_name="../../etc/small.yaml", data=b"", actor=admin_user)

    assert record.file_name == "small.yaml"
    assert record.errors == ["small.yaml: the file is empty"]


def test_services_refuse_anyone_but_the_admin(national, admin_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=national)
    record = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    for service in (framework_import_load, framework_import_publish):
        with pytest.raises(PermissionDenied):
            service(framework_import=record, actor=national)
    assert FrameworkVersion.objects.count() == 0


# --- the diff on the dry-run page ------------------------------------------------------------


def test_the_dry_run_compares_with_the_latest_published_version_and_lets_the_admin_pick(admin_client, admin_user):
    framework_load(data=SMALL_YAML, source_name="small.yaml", publish=True)
    older = small_yaml(("code: uji-kecil", "code: uji-lama"), ("year: 2025", "year: 2020"), ("Pasar sehat", "Pasar"))
    framework_load(data=older, source_name="lama.yaml", publish=True)
    framework_load(data=small_yaml(("code: uji-kecil", "code: uji-draf")), source_name="draf.yaml")
    new = small_yaml(
        ("code: uji-kecil", "code: uji-kecil-r2"),
        ("    name: Pasar sehat\n", "    name: Pasar sehat dan aman\n"),
        ("        description: Tidak ada SK\n", "        description: Belum ada SK\n"),
    )
    url = _upload(admin_client, new, name="r2.yaml")["Location"]

    response = admin_client.get(url)

    dry_run = response.context["dry_run"]
    assert dry_run.previous.code == "uji-kecil"
    assert [f.code for f in dry_run.choices] == ["uji-kecil", "uji-lama"]  # published only, latest first
    assert [c.code for c in dry_run.diff.indicators.changed] == ["T1-01"]
    assert [c.fields for c in dry_run.diff.kelembagaan.changed] == [("scale_text",)]
    page = response.content.decode()
    assert "Pasar sehat dan aman" in page
    assert "<details" in page

    picked = admin_client.get(url, {"banding": "uji-lama"}).context["dry_run"]
    assert picked.previous.code == "uji-lama"
    assert picked.diff.indicators.changed[0].changes[0].old == "Pasar"
    unknown = admin_client.get(url, {"banding": "uji-draf"}).context["dry_run"]
    assert unknown.previous.code == "uji-kecil"  # a draft is no version to compare with
    assert FrameworkImport.objects.count() == 1


def test_without_a_published_version_there_is_nothing_to_compare(admin_client):
    page = admin_client.get(_upload(admin_client, SMALL_YAML)["Location"]).content.decode()

    assert "Belum ada kerangka lain yang terbit untuk dibandingkan." in page


def test_the_framework_list_offers_the_import_to_the_admin_only(client, admin_user, national):
    client.force_login(admin_user)
    assert reverse("tatanan:import-list") in client.get(reverse("tatanan:framework-list")).content.decode()
    client.force_login(national)
    assert reverse("tatanan:import-list") not in client.get(reverse("tatanan:framework-list")).content.decode()


def test_the_import_list_shows_each_upload_with_its_status(admin_client, admin_user):
    framework_import_create(file_name="rusak.yaml", data=b"code: [", actor=admin_user)
    framework_import_create(file_name="baik.yaml", data=SMALL_YAML.encode(), actor=admin_user)

    page = admin_client.get(reverse("tatanan:import-list")).content.decode()

    assert "rusak.yaml" in page
    assert "Tidak valid" in page
    assert "1 masalah" in page
    assert "baik.yaml" in page
    assert "Valid" in page
