"""Rebuild the readiness summaries (one row per assessment) that differ from their responses, or are missing."""

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Cycle
from evaluations.services.summary import readiness_summary_repair


class Command(BaseCommand):
    help = "Periksa dan perbarui ringkasan kesiapan per penilaian (semua siklus yang dibuka, atau --cycle ID)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, help="id siklus (bawaan: semua siklus yang sudah dibuka)")

    def handle(self, *args, cycle=None, **options):
        chosen = None
        if cycle is not None:
            chosen = Cycle.objects.filter(pk=cycle).first()
            if chosen is None:
                raise CommandError(f"Siklus {cycle} tidak ada.")
        repaired = readiness_summary_repair(cycle=chosen)
        self.stdout.write(f"{repaired} ringkasan kesiapan diperbarui.")
