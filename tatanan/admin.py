from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forums.models import OpdKind
from kks.audit_admin import HistoryAdmin

from .models import FrameworkStatus, FrameworkVersion, Indicator, ScaleOption, Tatanan


@admin.register(OpdKind)
class OpdKindAdmin(admin.ModelAdmin):
    """Kinds of OPD (forums), registered here because deleting one asks about the frameworks that name it."""

    list_display = ("code", "name")
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        # Deleting it would silently drop it from the indicators of a published (immutable) framework.
        if obj is not None and obj.indicators.filter(framework__status=FrameworkStatus.PUBLISHED).exists():
            return False
        return super().has_delete_permission(request, obj)


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


class DraftTargetForm(forms.ModelForm):
    """Parts may only be added to, or moved into, a draft framework (and stay within one framework)."""

    def clean(self):
        data = super().clean()
        framework = data.get("framework")
        tatanan = data.get("tatanan")
        if framework is not None and tatanan is not None and tatanan.framework_id != framework.pk:
            self.add_error("tatanan", _("Tatanan ini milik kerangka lain."))
        for target in (framework, tatanan.framework if tatanan is not None else None):
            if target is not None and target.is_published:
                raise ValidationError(
                    _("Kerangka %(name)s sudah terbit dan tidak dapat diubah; buat versi baru.") % {"name": target}
                )
        return data


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name", "year", "status", "published_at")
    list_filter = ("status", "year")


@admin.register(Tatanan)
class TatananAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    form = DraftTargetForm
    list_display = ("number", "name", "framework")
    list_filter = ("framework",)


class ScaleOptionInline(admin.TabularInline):
    model = ScaleOption
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    form = DraftTargetForm
    list_display = ("code", "short_name", "kind", "tatanan", "framework")
    list_filter = ("framework", "kind", "tatanan")
    search_fields = ("code", "name")
    filter_horizontal = ("responsible_opd_kinds",)
    inlines = [ScaleOptionInline]
    list_select_related = ("tatanan", "framework")

    @admin.display(description=_("indikator"))
    def short_name(self, obj):
        return obj.name[:80]


for _audited in (FrameworkVersion, Indicator):
    admin.site.register(_audited.audit.model, HistoryAdmin)
