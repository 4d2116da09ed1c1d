"""The account's API token pages (/akun/token-api/); the API itself is api.v1.api.urls under /api/v1/."""

from .views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
