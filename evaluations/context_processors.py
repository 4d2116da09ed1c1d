def inbox(request):
    """Unread notification count for the navigation bar (one cheap query, lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
