from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kks.audit_admin import AppendOnlyAdmin, HistoryAdmin

from .models import Body, Membership, Opd, Region, User, UserTransfer


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("KKS"), {"fields": ("role", "region", "opd", "phone", "language", "review_tatanan")}),
    )
    filter_horizontal = (*BaseUserAdmin.filter_horizontal, "review_tatanan")
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("KKS"), {"fields": ("role", "region", "opd")}))
    list_display = ("username", "get_full_name", "role", "region", "opd", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    autocomplete_fields = ("region", "opd")
    list_select_related = ("region", "opd")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)


# OpdKind is registered in tatanan/admin.py: its delete guard asks about published frameworks (tatanan sits
# above forums, docs/architecture.md).


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind_names", "regency")
    list_filter = ("kinds",)
    filter_horizontal = ("kinds",)
    search_fields = ("name", "short_name", "regency__name")
    autocomplete_fields = ("regency",)
    list_select_related = ("regency",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("kinds")

    @admin.display(description=_("jenis"))
    def kind_names(self, obj):
        return ", ".join(kind.name for kind in obj.kinds.all())


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("person_name", "user", "position", "role", "tatanan_name", "period_start", "period_end")


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "scope_region", "sk_number", "sk_date", "sk_valid_until")
    list_filter = ("kind", "sk_valid_until")
    search_fields = ("name", "sk_number", "region__name", "region__code", "scope_region__name")
    autocomplete_fields = ("region", "scope_region")
    # SK files are uploaded through the checked page, never unchecked through the admin.
    # (Private storage has no URLs: the file is linked through the permission-checked download view.)
    readonly_fields = ("sk_download", "sk_file_name", "sk_file_type", "created_at", "updated_at")
    inlines = [MembershipInline]
    list_select_related = ("region", "scope_region")
    date_hierarchy = "sk_date"
    fieldsets = (
        (None, {"fields": ("kind", "name", "region", "scope_region")}),
        (
            _("Surat Keputusan (SK)"),
            {
                "fields": (
                    "sk_number",
                    "sk_date",
                    "sk_signed_by",
                    "sk_valid_until",
                    "sk_download",
                    "sk_file_name",
                    "sk_file_type",
                )
            },
        ),
        (
            _("Rencana kerja, anggaran dan sekretariat"),
            {"fields": ("work_plan_years", "work_plan", "budget_amount", "budget_source", "secretariat_address")},
        ),
        (_("Catatan waktu"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("berkas SK"))
    def sk_download(self, obj):
        if not obj.sk_file:
            return "-"
        url = reverse("forums:body-sk-download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.sk_file_name or obj.sk_file.name)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("__str__", "body", "role", "position", "period_start", "period_end")
    list_filter = ("role", "body__kind")
    search_fields = ("person_name", "user__username", "user__first_name", "user__last_name", "body__name")
    autocomplete_fields = ("body", "user")
    list_select_related = ("body", "user")


@admin.register(UserTransfer)
class UserTransferAdmin(AppendOnlyAdmin):
    """The record of each mutasi, read-only (written by the transfer service)."""

    list_display = ("at", "predecessor", "successor", "actor", "memberships_moved", "notifications_moved")
    list_select_related = ("predecessor", "successor", "actor")
    search_fields = ("predecessor__username", "successor__username", "reason")


def _superusers_only(request) -> bool:
    """The Django admin is for superusers; everyone else works through the application's pages."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

for _audited in (Body, Membership, User):
    admin.site.register(_audited.audit.model, HistoryAdmin)
