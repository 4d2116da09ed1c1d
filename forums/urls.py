"""URL map of the forums app; each views module owns its patterns."""

from .views import bodies, memberships, opds

app_name = "forums"

urlpatterns = [
    *bodies.urlpatterns,
    *memberships.urlpatterns,
    *opds.urlpatterns,
]
