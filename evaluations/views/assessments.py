"""Assessment pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from evaluations.selectors.scores import assessment_scores
from forums.permissions import assessments_visible_to, get_for_user_or_404


@login_required
def assessment_detail(request, pk):
    assessment = get_for_user_or_404(
        assessments_visible_to(request.user).select_related("cycle", "regency", "regency__parent"), pk=pk
    )
    return render(
        request,
        "evaluations/assessment_detail.html",
        {"assessment": assessment, "scores": assessment_scores(assessment)},
    )


urlpatterns = [
    path("penilaian/<int:pk>/", assessment_detail, name="assessment-detail"),
]
