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
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from evaluations.management.commands.backup import included_models, storage_files
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
            response=response, title="Notulen rapat Forum", created_by=coordinator
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


def rebuild(archive, target, *, replace=None, add=None, manifest_change=None):
    """Copy ``archive`` to ``target``, replacing member contents, adding members, or editing the manifest."""
    replace, add = replace or {}, add or {}
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
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
