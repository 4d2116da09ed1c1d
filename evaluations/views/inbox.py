"""The in-app notification inbox."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from evaluations.selectors.inbox import inbox_for
from evaluations.services.notifications import notification_mark_read, notifications_mark_all_read


@login_required
def inbox(request):
    return render(request, "evaluations/inbox.html", {"items": inbox_for(user=request.user)})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with ``open`` go on to what it points at."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_mark_read(notification=notification, actor=request.user)
    target = notification.url
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if "open" in request.POST and target and safe:
        return redirect(target)
    return redirect("evaluations:inbox")


@login_required
@require_POST
def notifications_read_all(request):
    notifications_mark_all_read(actor=request.user)
    return redirect("evaluations:inbox")


urlpatterns = [
    path("kotak-masuk/", inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/baca/", notification_read, name="notification-read"),
    path("kotak-masuk/baca-semua/", notifications_read_all, name="notifications-read-all"),
]
