from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Opd, OpdKind, Region, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("KKS"), {"fields": ("role", "region", "opd", "phone")}))
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


@admin.register(OpdKind)
class OpdKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "regency")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "regency__name")
    autocomplete_fields = ("regency",)
    list_select_related = ("kind", "regency")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "sk_number", "sk_date")
    list_filter = ("kind",)
    search_fields = ("name", "sk_number", "region__name")
    autocomplete_fields = ("region", "scope_region")
    inlines = [MembershipInline]
    list_select_related = ("region",)
