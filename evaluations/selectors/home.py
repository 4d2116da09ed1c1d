"""The home dashboard: what each role should look at first."""

from forums.permissions import assessments_visible_to, can_view_national_report, provinces_visible_to, role_of


def home_summary(*, user) -> dict:
    assessments = (
        assessments_visible_to(user)
        .select_related("cycle", "regency", "regency__parent")
        .order_by("-cycle__year", "regency__code")[:20]
    )
    return {
        "role": role_of(user),
        "assessments": assessments,
        "provinces": provinces_visible_to(user)[:40],
        "national_report": can_view_national_report(user),
    }
