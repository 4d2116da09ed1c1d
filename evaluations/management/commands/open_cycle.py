"""Open a cycle for kabupaten/kota: one assessment each with a draft response per indicator (as the web page)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Cycle
from evaluations.services.cycles_admin import cycle_open
from forums.models import Region


class Command(BaseCommand):
    help = "Buka siklus untuk kabupaten/kota (semua, per provinsi, atau per kode)."

    def add_arguments(self, parser):
        parser.add_argument("cycle", type=int, help="id siklus")
        parser.add_argument("--province", action="append", default=[], help="kode provinsi, mis. 35 (boleh berulang)")
        parser.add_argument("--regency", action="append", default=[], help="kode kab/kota, mis. 35.71 (boleh berulang)")
        parser.add_argument("--user", help="admin yang menjalankan (bawaan: superuser aktif pertama)")

    def handle(self, *args, cycle, province, regency, user, **options):
        try:
            cycle_obj = Cycle.objects.select_related("framework").get(pk=cycle)
        except Cycle.DoesNotExist:
            raise CommandError(f"Siklus {cycle} tidak ada.") from None
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=user).first() if user else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError("Tidak ada admin untuk menjalankan perintah ini; pakai --user USERNAME.")
        regencies = Region.objects.regencies()
        if province:
            regencies = regencies.filter(parent__code__in=province)
        if regency:
            regencies = regencies.filter(code__in=regency)
        if not regencies.exists():
            raise CommandError("Tidak ada kabupaten/kota yang cocok.")
        try:
            result = cycle_open(cycle=cycle_obj, regencies=regencies, actor=actor)
        except PermissionDenied:
            raise CommandError(f"{actor} bukan admin.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"{cycle_obj}: {result.assessments_created} penilaian baru, {result.responses_created} jawaban baru "
            f"({result.already_open} dari {result.in_scope} kabupaten/kota sudah dibuka sebelumnya)."
        )
