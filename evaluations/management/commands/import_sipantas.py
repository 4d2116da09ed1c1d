"""Import the SIPANTAS crosswalk from CSV (as /program/sipantas/): all rows or none."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from evaluations.services.sipantas import INDICATORS, REGENCIES, crosswalk_import
from tatanan.models import FrameworkVersion


class Command(BaseCommand):
    help = (
        "Impor tabel padanan SIPANTAS dari CSV: 'indikator' (kode,indikator_id; dengan --framework) atau "
        "'kabupaten' (kode_wilayah,kabupaten_id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[INDICATORS, REGENCIES])
        parser.add_argument("file", help="berkas .csv")
        parser.add_argument("--framework", help="kode kerangka (untuk ID indikator), mis. kks-2025-r2")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun")
        parser.add_argument("--user", help="admin yang menjalankan (bawaan: superuser aktif pertama)")

    def handle(self, *args, kind, file, framework, dry_run, user, **options):
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=user).first() if user else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError("Tidak ada admin untuk menjalankan perintah ini; pakai --user USERNAME.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        version = None
        if framework:
            version = FrameworkVersion.objects.filter(code=framework).first()
            if version is None:
                raise CommandError(f"Kerangka {framework} tidak ada.")
        try:
            result = crosswalk_import(
                kind=kind, content=path.read_bytes(), actor=actor, framework=version, dry_run=dry_run
            )
        except PermissionDenied:
            raise CommandError(f"{actor} tidak berwenang mengimpor tabel padanan SIPANTAS.") from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} masalah; tidak ada yang disimpan.")
        what = "siap diimpor (uji coba, tidak disimpan)" if dry_run else "tersimpan"
        self.stdout.write(
            f"{path.name}: {result.rows} baris {what}: {result.created} baru, {result.updated} diubah, "
            f"{result.unchanged} tetap."
        )
