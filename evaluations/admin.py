import datetime

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    Comment,
    Cycle,
    Evidence,
    EvidenceVersion,
    Notification,
    ReportJob,
    Response,
    RevisionReason,
    StatusChange,
)


class AppendOnlyAdmin(admin.ModelAdmin):
    """History rows are never changed or deleted, not even by an admin."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


def _reopen(modeladmin, request, queryset, days):
    from .services.cycles import cycle_reopen

    until = timezone.now() + datetime.timedelta(days=days) if days else None
    for cycle in queryset:
        cycle_reopen(cycle=cycle, until=until, actor=request.user)
    if until:
        modeladmin.message_user(request, _("Siklus dibuka kembali sampai %(until)s.") % {"until": until})
    else:
        modeladmin.message_user(request, _("Pembukaan kembali diakhiri."), messages.INFO)


@admin.action(description=_("Buka kembali pengisian dan verifikasi selama 3 hari"))
def reopen_3_days(modeladmin, request, queryset):
    _reopen(modeladmin, request, queryset, 3)


@admin.action(description=_("Buka kembali pengisian dan verifikasi selama 7 hari"))
def reopen_7_days(modeladmin, request, queryset):
    _reopen(modeladmin, request, queryset, 7)


@admin.action(description=_("Akhiri pembukaan kembali"))
def end_reopening(modeladmin, request, queryset):
    _reopen(modeladmin, request, queryset, 0)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "framework", "self_assessment_closes", "reopened_until")
    actions = [reopen_3_days, reopen_7_days, end_reopening]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("regency", "cycle", "status")
    list_filter = ("cycle", "status")
    search_fields = ("regency__name", "regency__code")
    raw_id_fields = ("regency",)
    list_select_related = ("regency", "cycle")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("assessment", "indicator", "value", "stage", "status")
    list_filter = ("stage", "status")
    raw_id_fields = ("assessment", "indicator", "updated_by")
    list_select_related = ("assessment__regency", "assessment__cycle", "indicator")


@admin.register(RevisionReason)
class RevisionReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "active")


@admin.register(StatusChange)
class StatusChangeAdmin(AppendOnlyAdmin):
    list_display = ("response", "stage", "from_status", "to_status", "actor", "at")
    list_filter = ("stage", "to_status")


@admin.register(Comment)
class CommentAdmin(AppendOnlyAdmin):
    list_display = ("response", "author", "created_at")


class EvidenceVersionInline(admin.TabularInline):
    model = EvidenceVersion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    exclude = ("file",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("title", "response", "created_at", "withdrawn_at")
    raw_id_fields = ("response", "current")
    inlines = [EvidenceVersionInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "verb", "created_at", "read_at")


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "cycle", "assessment", "region", "status", "progress", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("assessment", "region")
