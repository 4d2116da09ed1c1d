from django.utils.functional import SimpleLazyObject


def inbox(request):
    """Unread notification count for the navigation bar: one query, only if a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = SimpleLazyObject(lambda: {"n": user.notifications.filter(read_at__isnull=True).count()})
    return {"unread_notifications": count}
