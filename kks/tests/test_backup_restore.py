"""`manage.py backup` and `manage.py restore`: a full round trip, and the refusals."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from evaluations.management.commands.backup import included_models, manifest_signature, storage_files
from evaluations.models import Evidence, EvidenceVersion, Response
from forums.models import Region, User
from kks.tests import samples

# No serialized_rollback: after an earlier transactional test's flush has re-created the content types
# under new ids, reloading the serialized rows collides with them (IntegrityError on django_content_type)
# in a full run. Transactional tests that need the seeded revision reasons seed them (e2e/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def storage_dir(settings, tmp_path):
    location = tmp_path / "private"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


@pytest.fixture
def data(storage_dir, assessment, coordinator, reviewer, opd_officer, admin_user):
    response = Response.objects.filter(assessment=assessment).order_by("pk").first()
    response.value, response.achievement, response.updated_by = 75, "Capaian 80%", coordinator
    response.save()
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now() - timezone.timedelta(days=40))
    for number, payload in enumerate([samples.pdf_bytes("versi satu"), samples.pdf_bytes("versi dua")], start=1):
        evidence = Evidence.objects.filter(response=response).first() or Evidence.objects.create(
            response=response, title="Notulen rapat Forum", data_year=2024, created_by=coordinator
        )
        version = EvidenceVersion(
            evidence=evidence,
            number=number,
            original_name=f"notulen-v{number}.pdf",
            content_type="application/pdf",
            size=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
            uploaded_by=coordinator,
            uploaded_at=timezone.now(),
        )
        version.file.save("notulen.pdf", ContentFile(payload), save=True)
        evidence.current = version
        evidence.save()
    default_storage.save("reports/2025/11/dosir.pdf", ContentFile(samples.pdf_bytes("dosir")))
    reviewer.user_permissions.add(Permission.objects.get(codename="view_response"))
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(Region),
        object_id=str(assessment.regency_id),
        object_repr="Kota Kediri",
        action_flag=ADDITION,
    )
    return response


def snapshot():
    counts = {label: model._base_manager.count() for label, model in included_models()}
    files = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    return counts, files


def wipe(storage_dir):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(storage_dir)
    storage_dir.mkdir()


def test_backup_then_restore_gives_back_every_row_and_file(data, storage_dir, tmp_path, reviewer):
    counts_before, files_before = snapshot()
    response_before = Response.objects.get(pk=data.pk)
    assert counts_before["evaluations.evidenceversion"] == 2
    assert counts_before["evaluations.historicalevidenceversion"] == 2  # the audit history travels too
    assert len(files_before) == 3

    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    wipe(storage_dir)
    assert Region.objects.count() == 0
    assert snapshot()[1] == {}

    call_command("restore", str(archive), verbosity=0)

    counts_after, files_after = snapshot()
    assert counts_after == counts_before
    assert files_after == files_before
    restored = Response.objects.get(pk=data.pk)
    assert (restored.value, restored.achievement, restored.updated_by_id) == (75, "Capaian 80%", data.updated_by_id)
    assert restored.updated_at == response_before.updated_at  # auto_now fields keep their time
    version = EvidenceVersion.objects.get(evidence__response=restored, number=2)
    assert version.file.read() == samples.pdf_bytes("versi dua")
    assert version.sha256 == hashlib.sha256(samples.pdf_bytes("versi dua")).hexdigest()
    assert User.objects.get(pk=reviewer.pk).has_perm("evaluations.view_response")
    assert LogEntry.objects.get().content_type.model_class() is Region
    assert {h.uploaded_by_id for h in EvidenceVersion.audit.all()} == {data.updated_by_id}
    indicator = restored.indicator
    assert indicator.responsible_opd_kinds.count() == 1
    # Sequences follow the restored keys: new rows get fresh ones.
    Region.objects.create(code="99", name="Provinsi Baru", level="provinsi", kind="provinsi")


def test_restore_refuses_a_database_that_holds_data_unless_forced(data, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    Region.objects.create(code="99", name="Provinsi Baru", level="provinsi", kind="provinsi")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), verbosity=0)
    assert Region.objects.filter(code="99").exists()

    call_command("restore", str(archive), "--force", verbosity=0)
    assert not Region.objects.filter(code="99").exists()
    assert Response.objects.get(pk=data.pk).value == 75


def rebuild(archive, target, *, replace=None, add=None, manifest_change=None, drop=(), resign=True):
    """Copy ``archive`` to ``target``, replacing member contents, adding or dropping members, or editing the
    manifest (then signed again with this run's key unless ``resign`` is False, as an attacker without it)."""
    replace, add = replace or {}, add or {}
    manifest_bytes = None
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = manifest_bytes = json.dumps(manifest).encode()
            if member.name == "manifest.sig" and manifest_bytes is not None and resign:
                data = manifest_signature(manifest_bytes, settings.KKS_BACKUP_KEY.encode())
            data = replace.get(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        for name, data in add.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def test_restore_refuses_a_damaged_archive_and_changes_nothing(data, storage_dir, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    name = next(n for n in snapshot()[1] if n.startswith("evidence/"))
    damaged = tmp_path / "rusak.tar.gz"
    rebuild(archive, damaged, replace={f"files/{name}": b"%PDF-1.4 diganti"})
    Region.objects.create(code="99", name="Provinsi Baru", level="provinsi", kind="provinsi")
    default_storage.save("evidence/baru.pdf", ContentFile(b"baru"))
    before = snapshot()
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(damaged), "--force", verbosity=0)
    assert snapshot() == before


def test_restore_checks_the_archive_against_its_sidecar_hash(data, storage_dir, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    sidecar = tmp_path / "kks.tar.gz.sha256"
    assert sidecar.read_text().split()[1] == "kks.tar.gz"
    sidecar.write_text("0" * 64 + "  kks.tar.gz\n")
    with pytest.raises(CommandError, match="was changed or damaged"):
        call_command("restore", str(archive), "--force", verbosity=0)


@pytest.mark.parametrize("evil", ["files/../../etc/cron.d/x", "/etc/passwd", "files/a/../../b"])
def test_restore_refuses_entries_that_escape_the_archive(data, tmp_path, evil):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    hostile = tmp_path / "jahat.tar.gz"
    rebuild(archive, hostile, add={evil: b"x"})
    with pytest.raises(CommandError, match="Unsafe"):
        call_command("restore", str(hostile), "--force", verbosity=0)


def test_restore_refuses_an_archive_from_a_newer_schema(data, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    newer = tmp_path / "baru.tar.gz"
    rebuild(archive, newer, manifest_change=lambda m: m["migrations"]["evaluations"].append("9999_from_the_future"))
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(newer), "--force", verbosity=0)
    assert Response.objects.get(pk=data.pk).value == 75


def test_restore_refuses_something_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "bukan.tar.gz"
    bogus.write_bytes(b"bukan arsip")
    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore", str(bogus), verbosity=0)


def test_a_postgresql_backup_restores_into_sqlite(data, tmp_path):
    """The dump is portable: restore it into a fresh SQLite database in a child process."""
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    counts, files = snapshot()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KKS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kks.settings.dev",  # honours KKS_PRIVATE_ROOT across the three processes
        DATABASE_URL=f"sqlite:///{tmp_path / 'pulih.sqlite3'}",
        KKS_PRIVATE_ROOT=str(tmp_path / "pulih-private"),
        KKS_BACKUP_KEY=settings.KKS_BACKUP_KEY,
    )
    base = Path(__file__).resolve().parent.parent.parent
    check = (
        "import json; from evaluations.management.commands.backup import included_models, storage_files; "
        "from django.core.files.storage import default_storage as s; "
        "print(json.dumps([{l: m._base_manager.count() for l, m in included_models()}, len(list(storage_files(s)))]))"
    )
    for command in (["migrate", "-v0"], ["restore", str(archive)], ["shell", "-c", check]):
        result = subprocess.run(  # noqa: S603 - our own manage.py with the current interpreter
            [sys.executable, "manage.py", *command], cwd=base, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
    restored_counts, restored_files = json.loads(result.stdout.strip().splitlines()[-1])
    assert restored_counts == counts
    assert restored_files == len(files)


# --- signatures ------------------------------------------------------------------------------------


def _tamper_with_recomputed_hashes(archive, target, name):
    """Replace a stored file and fix its SHA-256 and size in the manifest, as an attacker would; the
    signature stays the old one (no key). The sidecar hash is recomputed too."""
    forged = b"%PDF-1.4 bukti palsu\n%%EOF\n"

    def fix_hashes(manifest):
        for entry in manifest["files"]:
            if entry["path"] == name:
                entry["sha256"], entry["size"] = hashlib.sha256(forged).hexdigest(), len(forged)

    rebuild(archive, target, replace={f"files/{name}": forged}, manifest_change=fix_hashes, resign=False)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    Path(f"{target}.sha256").write_text(f"{digest}  {target.name}\n")


def test_a_tampered_backup_with_recomputed_hashes_is_refused(data, storage_dir, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    name = next(n for n in snapshot()[1] if n.startswith("evidence/"))
    tampered = tmp_path / "palsu.tar.gz"
    _tamper_with_recomputed_hashes(archive, tampered, name)
    before = snapshot()
    with pytest.raises(CommandError, match="signature does not match: the archive was altered"):
        call_command("restore", str(tampered), "--force", verbosity=0)
    with pytest.raises(CommandError, match="signature does not match"):  # no way around it
        call_command("restore", str(tampered), "--force", "--allow-unsigned", verbosity=0)
    assert snapshot() == before


def test_an_unsigned_archive_is_refused_unless_explicitly_allowed(data, storage_dir, tmp_path, capsys):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive, "r:gz") as opened:
        assert "manifest.sig" in opened.getnames()
    unsigned = tmp_path / "tanpa-tanda.tar.gz"
    rebuild(archive, unsigned, drop={"manifest.sig"})
    with pytest.raises(CommandError, match=r"has no manifest\.sig: it is not signed"):
        call_command("restore", str(unsigned), "--force", verbosity=0)
    call_command("restore", str(unsigned), "--force", "--allow-unsigned", verbosity=0)
    assert "not signed" in capsys.readouterr().err
    assert Response.objects.get(pk=data.pk).value == 75


def test_an_archive_signed_with_another_key_is_refused(data, tmp_path, settings):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    settings.KKS_BACKUP_KEY = "another-installation-key-abcdefghijklmnop"
    with pytest.raises(CommandError, match="signed with another key"):
        call_command("restore", str(archive), "--force", verbosity=0)


def test_a_forged_signature_with_the_right_key_id_is_refused(data, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive, "r:gz") as opened:
        signature = json.loads(opened.extractfile("manifest.sig").read())
    signature["hmac"] = "0" * 64
    forged = tmp_path / "tanda-palsu.tar.gz"
    rebuild(archive, forged, replace={"manifest.sig": json.dumps(signature).encode()})
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("restore", str(forged), "--force", verbosity=0)


def test_a_signed_but_malformed_manifest_is_a_message_not_a_traceback(data, tmp_path):
    archive = tmp_path / "kks.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    broken = tmp_path / "rusak.tar.gz"
    rebuild(archive, broken, manifest_change=lambda m: m["files"].append({"sha256": "x"}))
    with pytest.raises(CommandError, match=r"manifest\.json is malformed"):
        call_command("restore", str(broken), "--force", verbosity=0)


@pytest.mark.parametrize(("key", "expected"), [("", "KKS_BACKUP_KEY is not set"), ("pendek", "too short")])
def test_backup_refuses_to_run_without_a_signing_key(db, tmp_path, settings, key, expected):
    settings.KKS_BACKUP_KEY = key
    with pytest.raises(CommandError, match=expected):
        call_command("backup", str(tmp_path / "kks.tar.gz"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


# --- paths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "output", "expected"),
    [
        ("missing folder", "nowhere/kks.tar.gz", "does not exist"),
        ("a file where the folder should be", "a-file/kks.tar.gz", "does not exist"),
        ("an existing folder", ".", "is a folder"),
        ("a trailing slash", "new-folder/", "is a folder"),
        ("a folder no one can write", "/proc/kks.tar.gz", "Cannot write /proc/kks.tar.gz"),
    ],
)
def test_backup_to_a_bad_path_is_a_message(db, tmp_path, label, output, expected):
    (tmp_path / "a-file").write_text("x")
    target = output if output.startswith("/") else str(tmp_path / output) + ("/" if output.endswith("/") else "")
    with pytest.raises(CommandError, match=expected):
        call_command("backup", target, verbosity=0)


def test_backup_to_an_unwritable_path_exits_with_a_message_not_a_traceback(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kks.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    base = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "/proc/kks.tar.gz"],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: Cannot write /proc/kks.tar.gz: ")


def test_restore_from_bad_paths_is_a_message(db, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("restore", str(tmp_path), verbosity=0)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"), verbosity=0)
    archive = tmp_path / "kks.tar.gz"
    archive.write_bytes(b"\x1f\x8b not really")
    (tmp_path / "kks.tar.gz.sha256").write_bytes(b"\xff\xfe\x00 binary")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(archive), verbosity=0)
