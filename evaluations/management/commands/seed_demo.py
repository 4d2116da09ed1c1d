"""Create the demo data set for `make run` (idempotent); --print-logins shows the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluations.demo import DEMO_PASSWORD, DemoError, login_rows, seed_demo


class Command(BaseCommand):
    help = (
        "Seed an idempotent demo: Jawa Timur with Kota Kediri, Kabupaten Kediri and Kota Madiun, their OPD, bodies "
        f"with SK and members, one cycle with assessments, and one user per role (password {DEMO_PASSWORD!r})."
    )

    def add_arguments(self, parser):
        parser.add_argument("--framework", default="kks-2025-r2", metavar="CODE", help="Framework version code.")
        parser.add_argument("--print-logins", action="store_true", help="Print the demo logins after seeding.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off (never in production).")

    def handle(self, *args, framework, print_logins, force, verbosity, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo membuat pengguna dengan kata sandi yang diketahui umum; hanya berjalan bila DEBUG aktif "
                "(gunakan --force bila memang disengaja)."
            )
        try:
            result = seed_demo(framework_code=framework)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity and not print_logins:
            made = ", ".join(f"{n} {what}" for what, n in result.created.items() if n) or "tidak ada yang baru"
            self.stdout.write(f"Data demo siap: {made}.")
        if print_logins:
            self._print_logins()

    def _print_logins(self):
        rows = [("Nama pengguna", "Kata sandi", "Peran", "Wilayah"), *login_rows()]
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        line = "+".join("-" * (w + 2) for w in widths)
        self.stdout.write(f"+{line}+")
        for n, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
            if n == 0:
                self.stdout.write(f"+{line}+")
        self.stdout.write(f"+{line}+")
