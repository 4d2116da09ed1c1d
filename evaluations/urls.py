"""URL map of the evaluations app; each views module owns its patterns."""

from .views import (
    assessments,
    assignments,
    audit,
    comments,
    cycles,
    dossiers,
    evidence,
    fill,
    inbox,
    library,
    mine,
    reports,
    review,
    sipantas,
    tus,
)

app_name = "evaluations"

urlpatterns = [
    *assessments.urlpatterns,
    *assignments.urlpatterns,
    *fill.urlpatterns,
    *mine.urlpatterns,
    *evidence.urlpatterns,
    *library.urlpatterns,
    *tus.urlpatterns,
    *comments.urlpatterns,
    *review.urlpatterns,
    *inbox.urlpatterns,
    *reports.urlpatterns,
    *dossiers.urlpatterns,
    *cycles.urlpatterns,
    *audit.urlpatterns,
    *sipantas.urlpatterns,
]
