"""Small display helpers for the fill and review pages."""

from django import template

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "resubmitted": "text-bg-primary",
    "revision_requested": "text-bg-warning",
    "accepted": "text-bg-success",
}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap badge class for a response status."""
    return STATUS_CLASSES.get(status, "text-bg-light")
