from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Penilaian")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .reasons import seed_after_migrate

        # Reference data, not business logic: the catalogue is re-seeded after migrate and flush.
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="evaluations.seed_revision_reasons")
