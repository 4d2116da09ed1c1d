"""Bulk import of accounts from CSV/XLSX for the national admin: all rows or none."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from forums.services.account_import import users_import_commit, users_import_parse


class Command(BaseCommand):
    help = "Impor akun dari CSV/XLSX (username, nama lengkap, email, telepon, peran, kode wilayah, singkatan OPD)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun")
        parser.add_argument("--user", help="admin yang menjalankan (bawaan: superuser aktif pertama)")

    def handle(self, *args, file, dry_run, user, **options):
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=user).first() if user else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError("Tidak ada admin untuk menjalankan perintah ini; pakai --user USERNAME.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        try:
            with path.open("rb") as handle:
                preview = users_import_parse(file=File(handle, name=path.name), actor=actor)
        except PermissionDenied:
            raise CommandError(f"{actor} tidak berwenang mengimpor akun.") from None
        if not preview.ok:
            for line in preview.error_lines() or ["Berkas tidak berisi baris data."]:
                self.stderr.write(line)
            what = f"{preview.error_count} baris bermasalah" if preview.error_count else "berkas tidak dapat dipakai"
            raise CommandError(f"{path.name}: {what}; tidak ada yang disimpan.")
        if dry_run:
            self.stdout.write(f"{path.name}: {len(preview.rows)} baris siap diimpor (uji coba, tidak disimpan).")
            return
        try:
            created = users_import_commit(preview=preview, actor=actor)
        except ValidationError as exc:
            for line in exc.messages:
                self.stderr.write(line)
            raise CommandError("Tidak ada yang disimpan.") from None
        self.stdout.write(f"{path.name}: {len(created)} akun dibuat; undangan dikirim.")
