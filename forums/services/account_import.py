"""Bulk import of accounts from CSV or XLSX: parse to a preview with per-row errors, then commit all or nothing.

Columns (header row, any order, Indonesian or English names): username, nama
lengkap, email, telepon, peran, kode wilayah, singkatan OPD. CSV in UTF-8 with
or without BOM, comma or semicolon separated (as Indonesian Excel writes it);
XLSX: the first sheet. The parse writes nothing; the commit checks every row
again inside one transaction and writes either every account or none.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.models import Opd, Region, Role, User, UserImport
from forums.permissions import role_of

from .accounts import AccountChecker, AccountData, _clean, account_write, invitations_send

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
STAGED_FOR = timedelta(hours=6)

FIELDS = ("username", "full_name", "email", "phone", "role", "region_code", "opd_short_name")
REQUIRED_COLUMNS = ("username", "full_name", "email", "role", "region_code")
COLUMN_LABELS = {
    "username": "username",  # the column name itself
    "full_name": gettext_lazy("nama lengkap"),
    "email": gettext_lazy("email"),
    "phone": gettext_lazy("telepon"),
    "role": gettext_lazy("peran"),
    "region_code": gettext_lazy("kode wilayah"),
    "opd_short_name": gettext_lazy("singkatan OPD"),
}
HEADER_ALIASES = {
    "username": "username",
    "user name": "username",
    "nama pengguna": "username",
    "nama lengkap": "full_name",
    "full name": "full_name",
    "nama": "full_name",
    "email": "email",
    "e-mail": "email",
    "surel": "email",
    "telepon": "phone",
    "phone": "phone",
    "no hp": "phone",
    "nomor telepon": "phone",
    "peran": "role",
    "role": "role",
    "kode wilayah": "region_code",
    "region code": "region_code",
    "kode": "region_code",
    "singkatan opd": "opd_short_name",
    "opd short name": "opd_short_name",
    "opd": "opd_short_name",
}
# Checker field -> file column.
CHECK_TO_COLUMN = {"region": "region_code", "opd": "opd_short_name"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header, size)."""


@dataclass
class ImportRow:
    number: int  # the row number as the spreadsheet shows it (header = 1)
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [
            _("Baris %(row)d, kolom %(column)s: %(message)s")
            % {"row": self.number, "column": COLUMN_LABELS.get(name, name), "message": message}
            for name, messages in self.errors.items()
            for message in messages
        ]


@dataclass
class ImportPreview:
    file_name: str
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def error_lines(self) -> list[str]:
        return [*self.file_errors, *(line for row in self.rows for line in row.error_lines())]


# --- reading the file -----------------------------------------------------------


def _normalise_header(text: str) -> str:
    return " ".join(str(text or "").strip().lower().replace("_", " ").split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _('Berkas CSV bukan UTF-8 (byte %(pos)d). Simpan ulang sebagai "CSV UTF-8".') % {"pos": exc.start + 1}
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("Berkas CSV rusak: berisi karakter NUL."))
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(_("Berkas CSV rusak: %(error)s.") % {"error": exc}) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a broken workbook
        raise ImportFileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Berkas XLSX tidak memiliki lembar kerja."))
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell(c) for c in row])
            if len(rows) > MAX_ROWS + 1 + 100:  # blank rows are dropped later; stop a huge sheet early
                break
        return rows
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from None
    finally:
        workbook.close()


def _read_table(name: str, data: bytes) -> list[list[str]]:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError(_("Berkas XLSX rusak atau tidak dapat dibaca."))
        return _read_xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if data.startswith(b"PK\x03\x04"):
            raise ImportFileError(_("Berkas ini berisi XLSX; beri nama berakhiran .xlsx."))
        return _read_csv(data)
    raise ImportFileError(_("Jenis berkas tidak didukung: unggah CSV atau XLSX (Excel 2007 ke atas)."))


def _rows_from_table(table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    numbered = [(i + 1, row) for i, row in enumerate(table) if any(c for c in row)]
    if not numbered:
        raise ImportFileError(_("Berkas kosong."))
    _header_number, header = numbered[0]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(_normalise_header(title))
        if key is not None and key not in columns.values():
            columns[index] = key
    missing = [str(COLUMN_LABELS[c]) for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise ImportFileError(_("Baris judul tidak memuat kolom: %(columns)s.") % {"columns": ", ".join(missing)})
    body = numbered[1:]
    if not body:
        raise ImportFileError(_("Berkas tidak berisi baris data."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("Terlalu banyak baris: %(count)d (paling banyak %(max)d).") % {"count": len(body), "max": MAX_ROWS}
        )
    rows = []
    for number, row in body:
        values = dict.fromkeys(FIELDS, "")
        for index, key in columns.items():
            if index < len(row):
                values[key] = row[index]
        rows.append((number, values))
    return rows


# --- checking rows --------------------------------------------------------------


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for role in Role:
        lookup[role.value.lower()] = role.value
        for language in ("id", "en"):
            with translation.override(language):
                lookup[str(role.label).lower()] = role.value
    return lookup


def _check_rows(rows: list[ImportRow], actor) -> list[AccountData]:
    """Fill each row's errors (codes resolved, the single-account checks, duplicates in the file).

    Returns the resolved account of every row (meaningful only for rows without errors).
    """
    checker = AccountChecker(actor)
    roles = _role_lookup()
    codes = {r.values["region_code"] for r in rows if r.values["region_code"]}
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    opds: dict[tuple[int, str], set[Opd]] = {}
    for opd in Opd.objects.filter(regency__in=regions.values()).select_related("regency"):
        for name in {opd.short_name.lower(), opd.name.lower()} - {""}:
            opds.setdefault((opd.regency_id, name), set()).add(opd)
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    accounts = []
    for row in rows:
        v = row.values
        errors = row.errors

        def add(column: str, message: str, errors=errors) -> None:
            errors.setdefault(column, []).append(message)

        role = roles.get(v["role"].lower()) if v["role"] else None
        if not v["role"]:
            add("role", _("Peran wajib diisi."))
        elif role is None:
            add("role", _("Peran %(value)s tidak dikenal.") % {"value": v["role"]})
        region = regions.get(v["region_code"]) if v["region_code"] else None
        if v["region_code"] and region is None:
            add("region_code", _("Kode wilayah %(code)s tidak dikenal.") % {"code": v["region_code"]})
        opd = None
        name = v["opd_short_name"]
        if name and region is not None:
            found = opds.get((region.pk, name.lower()), set())
            values = {"name": name, "region": region}
            if len(found) == 1:
                opd = next(iter(found))
            elif found:
                add("opd_short_name", _("Singkatan OPD %(name)s tidak unik di %(region)s.") % values)
            elif Opd.objects.filter(Q(short_name__iexact=name) | Q(name__iexact=name)).exists():
                add("opd_short_name", _("OPD %(name)s bukan OPD %(region)s.") % values)
            else:
                add("opd_short_name", _("OPD %(name)s tidak dikenal di %(region)s.") % values)
        data = _clean(
            AccountData(
                username=v["username"],
                full_name=v["full_name"],
                email=v["email"],
                phone=v["phone"],
                role=role or "",
                region=region,
                opd=opd,
            )
        )
        accounts.append(data)
        # Checks already answered above are not repeated from the single-account checker.
        skip = {"role"} if role is None else set()
        if "region_code" in errors:
            skip |= {"region", "opd"}
        if "opd_short_name" in errors:
            skip.add("opd")
        for field_name, messages in checker.errors(data).items():
            if field_name not in skip:
                for message in messages:
                    add(CHECK_TO_COLUMN.get(field_name, field_name), message)
        username, email = v["username"].lower(), v["email"].lower()
        if username:
            if username in seen_usernames:
                add(
                    "username",
                    _("Nama pengguna %(name)s sudah ada di baris %(row)d.")
                    % {"name": v["username"], "row": seen_usernames[username]},
                )
            else:
                seen_usernames[username] = row.number
        if email:
            if email in seen_emails:
                add(
                    "email",
                    _("E-mail %(email)s sudah ada di baris %(row)d.")
                    % {"email": v["email"], "row": seen_emails[email]},
                )
            else:
                seen_emails[email] = row.number
    return accounts


def users_import_parse(*, file, actor) -> ImportPreview:
    """Read an uploaded file into a preview: per-row values and per-field errors. Writes nothing."""
    if role_of(actor) is None:
        raise PermissionDenied
    name = getattr(file, "name", "") or "berkas"
    preview = ImportPreview(file_name=name[:200])
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        preview.file_errors.append(
            _("Berkas terlalu besar: paling besar %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
        return preview
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        preview.file_errors.append(
            _("Berkas terlalu besar: paling besar %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
        return preview
    try:
        table = _read_table(name, data)
        preview.rows = [ImportRow(number=n, values=v) for n, v in _rows_from_table(table)]
    except ImportFileError as exc:
        preview.file_errors.append(str(exc))
        return preview
    _check_rows(preview.rows, actor)
    return preview


def preview_from_values(*, file_name: str, rows: list[dict], actor) -> ImportPreview:
    """Check staged rows again (the database may have changed since the upload)."""
    preview = ImportPreview(
        file_name=file_name,
        rows=[
            ImportRow(number=int(r["number"]), values={k: str(r["values"].get(k, "")) for k in FIELDS}) for r in rows
        ],
    )
    _check_rows(preview.rows, actor)
    return preview


# --- staging and committing -------------------------------------------------------


@transaction.atomic
def users_import_stage(*, preview: ImportPreview, actor) -> UserImport:
    """Keep a clean preview server-side until it is committed; drops the actor's older uncommitted uploads."""
    if role_of(actor) is None:
        raise PermissionDenied
    if not preview.ok:
        raise ValidationError(preview.error_lines())
    stale = timezone.now() - STAGED_FOR
    UserImport.objects.filter(committed_at__isnull=True).filter(created_at__lt=stale).delete()
    UserImport.objects.filter(actor=actor, committed_at__isnull=True).delete()
    return UserImport.objects.create(
        actor=actor,
        file_name=preview.file_name,
        rows=[{"number": r.number, "values": r.values} for r in preview.rows],
    )


def staged_import_usable(staged: UserImport) -> bool:
    return staged.committed_at is None and staged.created_at >= timezone.now() - STAGED_FOR


@transaction.atomic
def users_import_commit(*, preview: ImportPreview, actor, staged: UserImport | None = None) -> list[User]:
    """Write every account of the preview, or none: the rows are checked again first."""
    if role_of(actor) is None:
        raise PermissionDenied
    if staged is not None:
        staged = UserImport.objects.select_for_update().get(pk=staged.pk)
        if staged.actor_id != actor.pk:
            raise PermissionDenied
        if not staged_import_usable(staged):
            raise ValidationError(_("Unggahan ini sudah diimpor atau kedaluwarsa; unggah berkasnya lagi."))
    fresh = ImportPreview(
        file_name=preview.file_name,
        rows=[ImportRow(number=r.number, values=dict(r.values)) for r in preview.rows],
    )
    accounts = _check_rows(fresh.rows, actor)
    if not fresh.ok:
        raise ValidationError(fresh.error_lines() or [_("Berkas tidak berisi baris data.")])
    users = [account_write(data=data, actor=actor) for data in accounts]
    invitations_send(users=users, actor=actor)
    if staged is not None:
        staged.committed_at = timezone.now()
        staged.created_usernames = [u.username for u in users]
        staged.save(update_fields=["committed_at", "created_usernames"])
    return users
