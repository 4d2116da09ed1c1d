"""Project-level pages: the health check, the favicon and the CSRF failure page (the home dashboard is
``evaluations.views.home``: kks sits below every app, docs/architecture.md)."""

from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    from kks.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the hashed static icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """Django's own CSRF page carries an inline <style> the CSP refuses; ours is a plain page in Indonesian."""
    return render(request, "403_csrf.html", status=403)
