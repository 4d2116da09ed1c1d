"""`manage.py backup OUTPUT.tar.gz`: the database and every stored file in one verifiable archive.

Layout of the archive:

- ``database.jsonl``: every row in Django's JSON Lines serialization (one
  object per line, so restoring streams it), primary keys kept; references to
  content types and permissions, which ``migrate``/``flush`` recreate, go by
  natural key, so the dump loads into SQLite or PostgreSQL alike;
- ``files/<name>``: every file of the default storage (evidence, SK decrees,
  generated PDFs), whatever the backend (local folder or S3);
- ``manifest.json``: format, time, row counts per model, the applied
  migrations, and the SHA-256 and size of the dump and of every file;
- ``manifest.sig`` (last): HMAC-SHA256 of the exact bytes of ``manifest.json``
  with the key in ``KKS_BACKUP_KEY``. The manifest pins every other entry by
  its hash, so the signature covers the whole archive: restore refuses an
  archive whose signature is missing or wrong, even if every hash in the
  manifest was recomputed. Without a key (32+ characters) no backup is written.

Beside the archive, ``OUTPUT.sha256`` (``sha256sum`` format) holds the hash
of the whole archive; keep a copy apart from it to detect damage.

On PostgreSQL the dump and the counts are read in one REPEATABLE READ,
read-only transaction, so they describe one moment even while users work.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import os
import tarfile
import tempfile
import time

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

FORMAT = "kks-backup"
FORMAT_VERSION = 2  # 2: manifest.sig
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
SIGNATURE_MEMBER = "manifest.sig"
SIGNATURE_ALGORITHM = "hmac-sha256"
MIN_KEY_LENGTH = 32
FILES_PREFIX = "files/"
# Recreated by migrate/flush, or logs not worth restoring (sessions, login attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
CHUNK = 1024 * 1024


def _excluded(model) -> bool:
    meta = model._meta
    return meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED


def included_models():
    """Concrete models whose rows go into the dump, as (label, model)."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or _excluded(model):
            continue
        if meta.auto_created:
            continue  # automatic M2M tables travel with their model's field
        yield meta.label_lower, model


def _by_natural_key(model) -> bool:
    """References to rows that are not dumped (content types, permissions) go by natural key."""
    return _excluded(model) and hasattr(model, "natural_key")


class LosslessEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class DumpSerializer(JsonlSerializer):
    """JSON Lines like ``dumpdata --format jsonl``, but natural keys only where primary keys are not kept.

    Every dumped row keeps its primary key, so references to it stay plain
    integers (cheap to write and to load); only references to content types
    and permissions, which ``flush``/``migrate`` recreate with new keys, are
    written as natural keys.
    """

    def handle_fk_field(self, obj, field):
        self._with_natural(_by_natural_key(field.remote_field.model), super().handle_fk_field, obj, field)

    def handle_m2m_field(self, obj, field):
        self._with_natural(_by_natural_key(field.remote_field.model), super().handle_m2m_field, obj, field)

    def _with_natural(self, natural, method, obj, field):
        saved = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = natural
        try:
            method(obj, field)
        finally:
            self.use_natural_foreign_keys = saved


def _natural_fk_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation and _by_natural_key(f.related_model)]


def dump_rows(model, using):
    """All rows of ``model`` with what serializing them needs, in a constant number of queries per chunk."""
    queryset = model._base_manager.using(using).order_by(model._meta.pk.attname)
    natural_fks = _natural_fk_names(model)
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetches = []
    for field in model._meta.local_many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue
        related = field.related_model
        inner = related._base_manager.using(using)
        if _by_natural_key(related):
            nested = _natural_fk_names(related)
            inner = inner.select_related(*nested) if nested else inner
        else:
            inner = inner.only("pk")
        prefetches.append(Prefetch(field.name, queryset=inner))
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return queryset.iterator(chunk_size=2000)


def applied_migrations(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def storage_files(storage, path=""):
    """Every file name under ``path`` in ``storage``, recursively, sorted."""
    try:
        directories, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


class HashingReader(io.RawIOBase):
    """Wraps a file object, hashing and counting what is read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def backup_key() -> bytes:
    """The signing key from ``KKS_BACKUP_KEY``; CommandError when it is unset or too short."""
    key = getattr(settings, "KKS_BACKUP_KEY", "") or ""
    if len(key) < MIN_KEY_LENGTH:
        raise CommandError(
            f"KKS_BACKUP_KEY is {'too short' if key else 'not set'}: backups are signed with it and restore checks "
            f"the signature. Set it to a random string of {MIN_KEY_LENGTH}+ characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))') and keep a copy apart from the backups."
        )
    return key.encode()


def key_id(key: bytes) -> str:
    """A short public name of the key, so a restore can say 'signed with another key'."""
    return hashlib.sha256(b"kks-backup-key-id:" + key).hexdigest()[:12]


def manifest_signature(manifest_bytes: bytes, key: bytes) -> bytes:
    """The content of ``manifest.sig``: algorithm, key id and HMAC of the manifest's exact bytes."""
    mac = hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()
    return json.dumps({"algorithm": SIGNATURE_ALGORITHM, "key_id": key_id(key), "hmac": mac}, sort_keys=True).encode()


def _add_bytes(archive, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(data))


def sha256_file(path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class Command(BaseCommand):
    help = "Write the database and all stored files to a .tar.gz archive with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Path of the archive to write, e.g. kks-2025-11-22.tar.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--no-files", action="store_true", help="Only the database (for a quick copy).")

    def handle(self, *args, output, database, no_files, **options):
        started = time.monotonic()
        key = backup_key()
        if os.path.isdir(output) or output.endswith(("/", os.sep)):
            raise CommandError(f"{output} is a folder; give the path of the archive to write.")
        target_dir = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(target_dir):
            raise CommandError(f"Cannot write {output}: the folder {target_dir} does not exist.")
        try:
            handle, partial = tempfile.mkstemp(dir=target_dir, prefix=".kks-backup-", suffix=".part")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        os.close(handle)
        try:
            manifest, counts = self._write(partial, output, database, no_files, key)
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise CommandError(f"Writing the backup {output} failed: {error.strerror or error}{where}.") from None
        rows = sum(counts.values())
        files = len(manifest["files"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {rows} rows in {len(counts)} tables, {files} files, "
                f"{os.path.getsize(output) / 1e6:.1f} MB in {time.monotonic() - started:.1f} s, signed with key "
                f"{key_id(key)}."
            )
        )

    def _write(self, partial, output, database, no_files, key) -> tuple[dict, dict[str, int]]:
        """Write the archive to ``partial``, then move it to ``output`` and write the sidecar hash."""
        try:
            with tempfile.TemporaryDirectory(prefix="kks-backup-") as scratch:
                dump_path = os.path.join(scratch, DATABASE_MEMBER)
                counts = self._dump(dump_path, database)
                dump_sha, dump_size = sha256_file(dump_path)
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connections[database].vendor,
                    "migrations": applied_migrations(database),
                    "counts": counts,
                    "excluded": EXCLUDED,
                    "database": {"path": DATABASE_MEMBER, "sha256": dump_sha, "size": dump_size},
                    "files": [],
                }
                with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                    archive.add(dump_path, arcname=DATABASE_MEMBER)
                    if not no_files:
                        manifest["files"] = self._add_files(archive)
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    _add_bytes(archive, MANIFEST_MEMBER, data)
                    _add_bytes(archive, SIGNATURE_MEMBER, manifest_signature(data, key))
            os.chmod(partial, 0o600)
            os.replace(partial, output)
            archive_sha, _size = sha256_file(output)
            with open(output + ".sha256", "w", encoding="ascii") as sidecar:
                sidecar.write(f"{archive_sha}  {os.path.basename(output)}\n")
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise
        return manifest, counts

    def _dump(self, dump_path, database) -> dict[str, int]:
        connection = connections[database]
        with transaction.atomic(using=database):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            models = list(included_models())
            counts = {label: model._base_manager.using(database).count() for label, model in models}
            rows = (row for _label, model in models for row in dump_rows(model, database))
            with open(dump_path, "w", encoding="utf-8") as stream:
                DumpSerializer().serialize(rows, stream=stream, use_natural_foreign_keys=True, cls=LosslessEncoder)
        return counts

    def _add_files(self, archive) -> list[dict]:
        entries = []
        for name in storage_files(default_storage):
            if ".." in name.split("/") or name.startswith("/"):
                raise CommandError(f"Refusing an unsafe file name in storage: {name!r}")
            info = tarfile.TarInfo(FILES_PREFIX + name)
            info.size = default_storage.size(name)
            info.mode = 0o600
            try:
                info.mtime = int(default_storage.get_modified_time(name).timestamp())
            except (NotImplementedError, OSError):
                info.mtime = int(time.time())
            with default_storage.open(name, "rb") as handle:
                reader = HashingReader(handle)
                archive.addfile(info, reader)
            if reader.size != info.size:
                raise CommandError(f"{name} changed size while being copied ({info.size} -> {reader.size}).")
            entries.append({"path": name, "sha256": reader.digest.hexdigest(), "size": reader.size})
        return entries
