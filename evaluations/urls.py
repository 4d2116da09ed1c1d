"""URL map of the evaluations app; each views module owns its patterns."""

from .views import assessments, inbox, reports

app_name = "evaluations"

urlpatterns = [
    *assessments.urlpatterns,
    *inbox.urlpatterns,
    *reports.urlpatterns,
]
