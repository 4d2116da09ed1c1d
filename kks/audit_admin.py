"""The admin of the historical (audit) models: listed and readable, never added, changed or deleted."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class AppendOnlyAdmin(admin.ModelAdmin):
    """History rows are never changed or deleted, not even by an admin (and never added by hand)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class HistoryAdmin(AppendOnlyAdmin):
    list_display = ("history_date", "history_type", "history_user", "history_object_label", "history_change_reason")
    list_filter = ("history_type", "history_date")
    list_select_related = ("history_user",)
    date_hierarchy = "history_date"
    search_fields = ("history_user__username", "history_change_reason")

    @admin.display(description=_("objek"))
    def history_object_label(self, obj):
        return f"#{obj.pk} {obj.instance_type.__name__} {obj.id}"
