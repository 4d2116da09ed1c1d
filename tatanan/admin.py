from django.contrib import admin

from .models import FrameworkVersion, Indicator, ScaleOption, Tatanan


class PublishedReadOnlyMixin:
    """A published framework is immutable, also in the admin."""

    def _framework(self, obj):
        if obj is None:
            return None
        return (
            obj
            if isinstance(obj, FrameworkVersion)
            else obj.framework
            if hasattr(obj, "framework")
            else obj.indicator.framework
        )

    def has_change_permission(self, request, obj=None):
        fw = self._framework(obj)
        if fw is not None and fw.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        fw = self._framework(obj)
        if fw is not None and fw.is_published:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name", "year", "status", "published_at")
    list_filter = ("status", "year")


@admin.register(Tatanan)
class TatananAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "name", "framework")
    list_filter = ("framework",)


class ScaleOptionInline(admin.TabularInline):
    model = ScaleOption
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "short_name", "kind", "tatanan", "framework")
    list_filter = ("framework", "kind", "tatanan")
    search_fields = ("code", "name")
    filter_horizontal = ("responsible_opd_kinds",)
    inlines = [ScaleOptionInline]
    list_select_related = ("tatanan", "framework")

    @admin.display(description="indikator")
    def short_name(self, obj):
        return obj.name[:80]
