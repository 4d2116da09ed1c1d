"""Response headers that Django's SecurityMiddleware does not set, and the client address behind proxies."""

import ipaddress

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.KKS_CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def client_ip(request):
    """The client's address for django-axes.

    Behind ``KKS_TRUSTED_PROXY_COUNT`` proxies that each append the address
    they saw to X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``), the
    client is that many entries from the right; entries further left are
    whatever the client chose to send and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "KKS_TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
