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


@register.filter
def response_field_label(name: str) -> str:
    """The readable label of a Response field (for the changes of a correction)."""
    from evaluations.models import Response

    try:
        label = str(Response._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the correction was recorded
        return name
    return label[:1].upper() + label[1:]


@register.filter
def shows_inline(content_type: str) -> bool:
    """Whether an evidence file of this type is shown in the page (images and PDF)."""
    from evaluations.services.previews import previewable

    return previewable(content_type or "")
