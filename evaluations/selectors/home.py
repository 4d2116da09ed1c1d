"""The home dashboard: what each role should look at first."""

from evaluations.selectors.mine import is_filler, sent_back_for
from evaluations.selectors.queue import waiting_for
from forums.models import Role, User
from forums.permissions import assessments_visible_to, can_view_national_report, provinces_visible_to, role_of

# The roles that have a review queue (mirrors evaluations.views.review.REVIEWER_ROLES and the nav link).
QUEUE_ROLES = {Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL, Role.NATIONAL_VERIFIER, Role.ADMIN}


def home_summary(*, user: User) -> dict:
    role = role_of(user)
    assessments = (
        assessments_visible_to(user)
        .filter(cycle__opened_at__isnull=False)
        .select_related("cycle", "regency", "regency__parent")
        .order_by("-cycle__year", "regency__code")[:20]
    )
    return {
        "role": role,
        "assessments": assessments,
        "provinces": provinces_visible_to(user)[:40],
        "national_report": can_view_national_report(user),
        # None for roles without a queue, so the page can tell "nothing waits" from "no queue at all".
        "review_waiting": waiting_for(user).count() if role in QUEUE_ROLES else None,
        # Fillers see what was sent back to them first, nearest deadline first.
        "is_filler": is_filler(user),
        "sent_back": sent_back_for(user=user),
    }
