"""URL map of the evaluations app; each views module owns its patterns."""

from .views import (
    assessments,
    audit,
    comments,
    cycles,
    dossiers,
    evidence,
    fill,
    inbox,
    mine,
    reports,
    review,
    sipantas,
)

app_name = "evaluations"

urlpatterns = [
    *assessments.urlpatterns,
    *fill.urlpatterns,
    *mine.urlpatterns,
    *evidence.urlpatterns,
    *comments.urlpatterns,
    *review.urlpatterns,
    *inbox.urlpatterns,
    *reports.urlpatterns,
    *dossiers.urlpatterns,
    *cycles.urlpatterns,
    *audit.urlpatterns,
    *sipantas.urlpatterns,
]
