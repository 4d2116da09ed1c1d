"""URL map of the evaluations app; each views module owns its patterns."""

from .views import assessments, audit, comments, dossiers, evidence, fill, inbox, reports, review

app_name = "evaluations"

urlpatterns = [
    *assessments.urlpatterns,
    *fill.urlpatterns,
    *evidence.urlpatterns,
    *comments.urlpatterns,
    *review.urlpatterns,
    *inbox.urlpatterns,
    *reports.urlpatterns,
    *dossiers.urlpatterns,
    *audit.urlpatterns,
]
