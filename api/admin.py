from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kks.audit_admin import HistoryAdmin

from .models import ApiToken
from .services import api_token_revoke


@admin.action(description=_("Cabut token terpilih"))
def revoke_tokens(modeladmin, request, queryset):
    for token in queryset.filter(revoked_at=None):
        api_token_revoke(token=token, actor=request.user)
    modeladmin.message_user(request, _("Token terpilih dicabut."))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; only their owner creates one (the secret is shown to them once)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at", "revoked_by")
    actions = [revoke_tokens]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # readable, not editable: revoke with the action

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays on the record


admin.site.register(ApiToken.audit.model, HistoryAdmin)
