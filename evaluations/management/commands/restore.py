"""`manage.py restore INPUT.tar.gz [--force]`: put back an archive written by `manage.py backup`.

Steps, stopping at the first problem:

1. check the manifest's signature (``manifest.sig``, HMAC-SHA256 with
   ``KKS_BACKUP_KEY``): an archive without one, or signed with another key, or
   whose manifest was edited (even with every hash recomputed) is refused;
   then check the SHA-256 and size of the dump and of every file (nothing is
   changed before the whole archive is verified);
2. refuse archives from a newer schema, a database that is not migrated,
   or (without ``--force``) a database that already holds data;
3. write the files back to the default storage (existing files with the
   same name are replaced);
4. in one transaction: flush the database, load the dump, reset sequences,
   and compare the row count of every table with the manifest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import posixpath
import tarfile
import tempfile
import time
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from .backup import (
    CHUNK,
    DATABASE_MEMBER,
    FILES_PREFIX,
    FORMAT,
    MANIFEST_MEMBER,
    SIGNATURE_ALGORITHM,
    SIGNATURE_MEMBER,
    applied_migrations,
    backup_key,
    included_models,
    key_id,
)

# Rows in any of these mean the database is in use; a freshly migrated one has none
# (migrations may seed catalogues such as revision reasons, which do not count).
IN_USE_MODELS = ["forums.user", "forums.region", "tatanan.frameworkversion", "evaluations.assessment"]
BATCH = 1000
MANIFEST_MAX_BYTES = 256 * 1024 * 1024


def safe_member_name(name: str) -> bool:
    normal = posixpath.normpath(name)
    return not (name.startswith("/") or normal.startswith("..") or "\\" in name or "\x00" in name or normal != name)


def sha256_stream(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class Command(BaseCommand):
    help = "Restore the database and stored files from an archive written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="INPUT", help="Archive written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true", help="Replace a database that already holds data.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="Accept an archive without manifest.sig (made before backups were signed). A wrong signature "
            "is refused all the same.",
        )

    def handle(self, *args, archive, force, database, allow_unsigned, **options):
        started = time.monotonic()
        if os.path.isdir(archive):
            raise CommandError(f"{archive} is a folder; give the path of a backup archive.")
        if not os.path.isfile(archive):
            raise CommandError(f"{archive} does not exist.")
        key = None if allow_unsigned and not getattr(settings, "KKS_BACKUP_KEY", "") else backup_key()
        self.allow_unsigned = allow_unsigned
        try:
            self._check_sidecar(archive)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {archive} or its .sha256 file: {error}") from None
        with tempfile.TemporaryDirectory(prefix="kks-restore-") as scratch:
            try:
                with tarfile.open(archive, "r:gz") as opened:
                    manifest = self._verify(opened, scratch, key)
            except (tarfile.TarError, OSError, EOFError) as error:
                raise CommandError(f"{archive} is not a readable .tar.gz archive: {error}") from error
            self._check_schema(manifest, database)
            self._check_empty(database, force)
            try:
                written, unchanged = self._restore_files(archive, manifest)
            except OSError as error:
                raise CommandError(f"Writing the files back to the storage failed: {error}") from None
            rows = self._load(os.path.join(scratch, DATABASE_MEMBER), manifest, database)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {written + unchanged} files ({unchanged} already present) "
                f"from {archive} in {time.monotonic() - started:.1f} s."
            )
        )

    # -- 1. verification -------------------------------------------------------------------------

    def _check_sidecar(self, archive):
        """If OUTPUT.sha256 (written by backup, kept apart from the archive) is there, it must match."""
        sidecar = archive + ".sha256"
        if not os.path.isfile(sidecar):
            return
        with open(sidecar, encoding="ascii") as handle:
            expected = (handle.read().split() or [""])[0]
        with open(archive, "rb") as handle:
            actual, _size = sha256_stream(handle)
        if actual != expected:
            raise CommandError(f"{archive} does not match {sidecar}: the archive was changed or damaged.")

    def _check_signature(self, manifest_bytes: bytes, signature_bytes: bytes | None, key: bytes | None) -> None:
        """The manifest must carry a valid HMAC-SHA256 made with KKS_BACKUP_KEY."""
        if signature_bytes is None:
            if self.allow_unsigned:
                self.stderr.write(
                    self.style.WARNING(
                        "WARNING: the archive is not signed; restoring it only because --allow-unsigned was given."
                    )
                )
                return
            raise CommandError(
                f"The archive has no {SIGNATURE_MEMBER}: it is not signed, so it may have been altered. Only an "
                "archive made before backups were signed may be restored, with --allow-unsigned."
            )
        try:
            signature = json.loads(signature_bytes)
            algorithm, signed_key, mac = signature["algorithm"], signature["key_id"], signature["hmac"]
        except (ValueError, KeyError, TypeError):
            raise CommandError(f"{SIGNATURE_MEMBER} is not a KKS backup signature.") from None
        if algorithm != SIGNATURE_ALGORITHM or not isinstance(mac, str):
            raise CommandError(f"{SIGNATURE_MEMBER} uses an unknown algorithm: {algorithm!r}.")
        if key is None:
            key = backup_key()
        if signed_key != key_id(key):
            raise CommandError(
                f"The archive was signed with another key ({signed_key}; KKS_BACKUP_KEY here is {key_id(key)}). "
                "Set KKS_BACKUP_KEY to the key the backup was made with."
            )
        expected = hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, mac):
            raise CommandError(
                "The manifest's signature does not match: the archive was altered after it was written. Refused."
            )

    def _verify(self, archive, scratch, key=None):
        members = {}
        for member in archive.getmembers():
            if not member.isfile() or not safe_member_name(member.name):
                raise CommandError(f"Unsafe or unexpected entry in the archive: {member.name!r}")
            if member.name in members:
                raise CommandError(f"Duplicate entry in the archive: {member.name!r}")
            members[member.name] = member
        if MANIFEST_MEMBER not in members or DATABASE_MEMBER not in members:
            raise CommandError(f"The archive has no {MANIFEST_MEMBER} or {DATABASE_MEMBER}: not a KKS backup.")
        signature = members.get(SIGNATURE_MEMBER)
        if members[MANIFEST_MEMBER].size > MANIFEST_MAX_BYTES or (signature and signature.size > 4096):
            raise CommandError("manifest.json or manifest.sig is implausibly large: not a KKS backup.")
        manifest_bytes = archive.extractfile(members[MANIFEST_MEMBER]).read()
        self._check_signature(manifest_bytes, archive.extractfile(signature).read() if signature else None, key)
        try:
            manifest = json.loads(manifest_bytes)
        except ValueError as error:
            raise CommandError(f"manifest.json is not valid JSON: {error}") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise CommandError("manifest.json does not describe a KKS backup.")
        if not all(key in manifest for key in ("database", "files", "counts", "migrations")):
            raise CommandError("manifest.json lacks database, files, counts or migrations.")
        try:
            expected = self._expected_members(manifest)
        except (KeyError, TypeError, AttributeError) as error:
            raise CommandError(f"manifest.json is malformed: {error!r}") from None
        unlisted = set(members) - set(expected) - {MANIFEST_MEMBER, SIGNATURE_MEMBER}
        if unlisted:
            raise CommandError(f"Entries not listed in the manifest: {sorted(unlisted)[:5]}")
        missing = set(expected) - set(members)
        if missing:
            raise CommandError(f"Listed in the manifest but missing from the archive: {sorted(missing)[:5]}")
        # In archive order: a .tar.gz cannot seek backwards cheaply.
        for name in sorted(expected, key=lambda n: members[n].offset):
            entry = expected[name]
            digest, size = sha256_stream(archive.extractfile(members[name]))
            if digest != entry["sha256"] or size != entry["size"]:
                raise CommandError(f"{name} does not match its SHA-256 in the manifest: the archive is damaged.")
        archive.extract(members[DATABASE_MEMBER], scratch, filter="data")
        return manifest

    @staticmethod
    def _expected_members(manifest) -> dict[str, dict]:
        expected = {DATABASE_MEMBER: manifest["database"]}
        for entry in manifest["files"]:
            name = FILES_PREFIX + entry["path"]
            if not safe_member_name(name):
                raise CommandError(f"Unsafe file name in the manifest: {entry['path']!r}")
            expected[name] = entry
        for entry in expected.values():
            if not isinstance(entry["sha256"], str) or not isinstance(entry["size"], int):
                raise TypeError("sha256 must be text and size a number")
        return expected

    # -- 2. preconditions --------------------------------------------------------------------------

    def _check_schema(self, manifest, database):
        connection = connections[database]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not fully migrated: run `manage.py migrate` first.")
        current = applied_migrations(database)
        newer = sorted(
            f"{app}.{name}"
            for app, names in manifest["migrations"].items()
            for name in names
            if name not in current.get(app, [])
        )
        if newer:
            raise CommandError(
                "The archive comes from a newer version of KKS (migrations unknown here: "
                f"{', '.join(newer[:5])}). Update the code and migrate, then restore."
            )

    def _check_empty(self, database, force):
        in_use = {}
        for label in IN_USE_MODELS:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            count = model._base_manager.using(database).count()
            if count:
                in_use[label] = count
        if in_use and not force:
            summary = ", ".join(f"{label}: {count}" for label, count in in_use.items())
            raise CommandError(
                f"The database already holds data ({summary}). Restoring replaces ALL of it; "
                "run again with --force if that is what you want."
            )

    # -- 3. files --------------------------------------------------------------------------------------

    def _restore_files(self, path, manifest):
        written = unchanged = 0
        with tarfile.open(path, "r:gz") as archive:
            for entry in manifest["files"]:
                name = entry["path"]
                if default_storage.exists(name):
                    with default_storage.open(name, "rb") as current:
                        if sha256_stream(current)[0] == entry["sha256"]:
                            unchanged += 1
                            continue
                    default_storage.delete(name)
                stream = archive.extractfile(FILES_PREFIX + name)
                saved = default_storage.save(name, File(stream, name=posixpath.basename(name)))
                if saved != name:
                    raise CommandError(f"The storage saved {name} as {saved}; restore stopped.")
                written += 1
        return written, unchanged

    # -- 4. database -----------------------------------------------------------------------------

    def _load(self, dump_path, manifest, database) -> int:
        connection = connections[database]
        with transaction.atomic(using=database):
            call_command("flush", database=database, interactive=False, verbosity=0)
            # flush's post_migrate re-seeds reference data (the revision-reason catalogue, evaluations/reasons.py);
            # the archive carries its own copy of those rows.
            for _label, model in included_models():
                reseeded = model._base_manager.using(database).all()
                if reseeded.exists():
                    reseeded.delete()
            with connection.constraint_checks_disabled():
                loaded = self._insert_all(dump_path, database)
            models = [model for _label, model in included_models()]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            if connection.vendor != "postgresql":  # PostgreSQL checks its deferred constraints at commit
                connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
            counts = {label: model._base_manager.using(database).count() for label, model in included_models()}
            wrong = {
                label: (counts.get(label, 0), expected)
                for label, expected in manifest["counts"].items()
                if counts.get(label, 0) != expected
            }
            if wrong:
                raise CommandError(f"Row counts differ after loading (now, expected): {wrong}")
        return sum(counts.values())

    def _insert_all(self, dump_path, database) -> set:
        """Insert every dumped row as is (raw: no auto_now, no signals), in batches."""
        batch, batch_model, loaded = [], None, set()
        m2m = defaultdict(list)
        with open(dump_path, encoding="utf-8") as stream:
            for item in serializers.deserialize("jsonl", stream, using=database, ignorenonexistent=False):
                obj = item.object
                if type(obj) is not batch_model or len(batch) >= BATCH:
                    self._insert(batch, database)
                    batch, batch_model = [], type(obj)
                batch.append(obj)
                loaded.add(type(obj))
                for field_name, values in (item.m2m_data or {}).items():
                    m2m[(type(obj), field_name)].append((obj.pk, values))
        self._insert(batch, database)
        for (model, field_name), rows in m2m.items():
            field = model._meta.get_field(field_name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = [through(**{f"{source}_id": pk, f"{target}_id": value}) for pk, values in rows for value in values]
            through._base_manager.using(database).bulk_create(links, batch_size=BATCH)
            loaded.add(through)
        return loaded

    @staticmethod
    def _insert(objs, database):
        if not objs:
            return
        model = type(objs[0])
        if model._meta.parents:
            for obj in objs:  # multi-table inheritance: let Django write each parent row
                obj.save_base(raw=True, using=database, force_insert=True)
            return
        fields = [field for field in model._meta.local_concrete_fields if not getattr(field, "generated", False)]
        size = max(1, connections[database].ops.bulk_batch_size(fields, objs))
        manager = model._base_manager.using(database)
        for start in range(0, len(objs), size):
            # raw=True writes the attribute values untouched (auto_now fields keep their dumped time),
            # exactly as loaddata's Model.save_base(raw=True) does, but many rows per INSERT.
            manager._insert(objs[start : start + size], fields=fields, using=database, raw=True)
