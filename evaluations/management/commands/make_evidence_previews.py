"""Queue the previews of evidence images and PDFs stored before previews existed (or that failed)."""

from django.core.management.base import BaseCommand

from evaluations.services.previews import evidence_previews_backfill


class Command(BaseCommand):
    help = "Antrekan pratinjau bukti dukung (gambar dan PDF) yang belum ada; --retry-failed juga yang gagal."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="buat ulang pratinjau yang gagal")

    def handle(self, *args, retry_failed, **options):
        queued = evidence_previews_backfill(retry_failed=retry_failed)
        self.stdout.write(f"{queued} pratinjau diantrekan.")
