"""System checks for the background-render settings (run by `manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, register


@register("kks")
def report_time_limits(app_configs=None, **kwargs):
    errors = []
    soft, hard = settings.KKS_REPORT_SOFT_TIME_LIMIT, settings.KKS_REPORT_HARD_TIME_LIMIT
    if soft >= hard:
        errors.append(
            Error(
                f"KKS_REPORT_SOFT_TIME_LIMIT ({soft}) must be below KKS_REPORT_HARD_TIME_LIMIT ({hard}).",
                hint="The soft limit lets a render fail cleanly before the worker process is killed.",
                id="kks.E001",
            )
        )
    if str(settings.CELERY_BROKER_URL).startswith(("redis://", "rediss://")):
        visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
        if visibility <= hard:
            errors.append(
                Error(
                    f"CELERY_VISIBILITY_TIMEOUT ({visibility}) must be above KKS_REPORT_HARD_TIME_LIMIT ({hard}).",
                    hint="Otherwise Redis hands a render that is still running to a second worker.",
                    id="kks.E002",
                )
            )
    return errors
