"""URL map of the account pages (/pengguna/)."""

from .views import account_import, accounts

app_name = "accounts"

urlpatterns = [
    *accounts.urlpatterns,
    *account_import.urlpatterns,
]
