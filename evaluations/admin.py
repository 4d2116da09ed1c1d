import datetime

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kks.audit_admin import AppendOnlyAdmin, HistoryAdmin

from .models import (
    Assessment,
    Comment,
    Cycle,
    CycleWindowChange,
    Evidence,
    EvidenceVersion,
    Notification,
    OfficialResult,
    ReportJob,
    Response,
    ReviewNote,
    RevisionReason,
    SentReminder,
    StatusChange,
)
from .selectors.award import POLICY_FIELDS
from .services.guards import was_accepted
from .services.summary import readiness_summary_refresh


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
    list_display = ("name", "year", "framework", "opened_at", "self_assessment_closes", "reopened_until")
    # opened_at is set by opening the cycle (the programme pages or ``open_cycle``); the award rules change only
    # on the programme page, where ScoringPolicy checks them and a reason is recorded.
    readonly_fields = ("opened_at", *POLICY_FIELDS)
    actions = [reopen_3_days, reopen_7_days, end_reopening]

    def get_readonly_fields(self, request, obj=None):
        # The responses of its assessments answer this framework's indicators; a new framework needs a new cycle.
        if obj is not None and obj.assessments.exists():
            return (*super().get_readonly_fields(request, obj), "framework")
        return super().get_readonly_fields(request, obj)


@admin.register(CycleWindowChange)
class CycleWindowChangeAdmin(AppendOnlyAdmin):
    list_display = ("cycle", "window", "new_closes", "actor", "at")
    list_filter = ("cycle", "window")


@admin.register(OfficialResult)
class OfficialResultAdmin(AppendOnlyAdmin):
    """Shown only: official results are recorded on the programme page (services.awards), with their history."""

    list_display = ("regency", "cycle", "level", "awarded_on", "decree", "recorded_by")
    list_filter = ("cycle", "level")
    search_fields = ("regency__name", "regency__code", "decree")
    list_select_related = ("regency", "cycle", "recorded_by")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("regency", "cycle", "status")
    list_filter = ("cycle", "status")
    search_fields = ("regency__name", "regency__code")
    raw_id_fields = ("regency",)
    list_select_related = ("regency", "cycle")


SCORE_FIELDS = ("value", "value_provincial", "value_national")


class ResponseAdminForm(forms.ModelForm):
    """Every level's score must be on the indicator's scale (as in the services), the indicator of its framework."""

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator") or getattr(self.instance, "indicator", None)
        if indicator is None:
            return data
        assessment = data.get("assessment")
        if assessment is not None and indicator.framework_id != assessment.cycle.framework_id:
            self.add_error("indicator", _("Indikator ini bukan dari kerangka siklus penilaian tersebut."))
        allowed = indicator.allowed_values()
        for field in SCORE_FIELDS:
            value = data.get(field)
            if value is not None and value not in allowed:
                self.add_error(
                    field,
                    _("Nilai %(value)s tidak ada pada skala indikator ini (%(allowed)s).")
                    % {"value": value, "allowed": ", ".join(str(v) for v in allowed)},
                )
        return data


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    form = ResponseAdminForm
    list_display = ("assessment", "indicator", "value", "stage", "status")
    list_filter = ("stage", "status")
    raw_id_fields = ("assessment", "indicator")
    # Stage and status move only through the services, which record every change.
    readonly_fields = ("stage", "status", "revision_due", "version", "updated_by", "updated_at")
    list_select_related = ("assessment__regency", "assessment__cycle", "indicator")

    def get_readonly_fields(self, request, obj=None):
        # An answer stays with its assessment and indicator (its history and evidence belong to that pair).
        if obj is not None:
            return ("assessment", "indicator", *self.readonly_fields)
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # An accepted answer changes only through the workflow or a recorded correction ("Koreksi" page).
        if obj is not None and was_accepted(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and was_accepted(obj):
            return False
        return super().has_delete_permission(request, obj)

    # The readiness tables read each assessment's summary: an admin edit rewrites it in the same transaction.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        readiness_summary_refresh(assessment_ids=[obj.assessment_id])

    def delete_model(self, request, obj):
        assessment_id = obj.assessment_id
        super().delete_model(request, obj)
        readiness_summary_refresh(assessment_ids=[assessment_id])

    def delete_queryset(self, request, queryset):
        assessment_ids = set(queryset.values_list("assessment_id", flat=True))
        super().delete_queryset(request, queryset)
        readiness_summary_refresh(assessment_ids=assessment_ids)


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


@admin.register(ReviewNote)
class ReviewNoteAdmin(AppendOnlyAdmin):
    """Reviewers' internal notes: read-only here too, and their response cannot be deleted from under them."""

    list_display = ("response", "stage", "author", "created_at")
    list_filter = ("stage",)


EVIDENCE_VERSION_FIELDS = (
    "evidence",
    "number",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_by",
    "uploaded_at",
)


class EvidenceVersionInline(admin.TabularInline):
    model = EvidenceVersion
    extra = 0
    can_delete = False
    readonly_fields = EVIDENCE_VERSION_FIELDS[1:]
    exclude = ("file",)  # files are served only by the permission-checked download view

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(AppendOnlyAdmin):
    """Evidence is added, replaced and withdrawn on the fill page only; its versions are the record."""

    list_display = ("title", "response", "created_at", "withdrawn_at")
    list_select_related = ("response__assessment__regency", "response__indicator")
    raw_id_fields = ("response", "current")
    inlines = [EvidenceVersionInline]


@admin.register(EvidenceVersion)
class EvidenceVersionAdmin(AppendOnlyAdmin):
    """Registered so that deleting a parent row in the admin is refused while versions exist."""

    list_display = ("original_name", "number", "evidence", "content_type", "size", "uploaded_at")
    fields = EVIDENCE_VERSION_FIELDS
    search_fields = ("original_name", "sha256")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "verb", "created_at", "read_at")


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record that keeps reminders from going twice: read-only (deleting a row would send it again)."""

    list_display = ("recipient", "kind", "deadline", "days_before", "sent_at")
    list_filter = ("kind", "days_before")
    search_fields = ("recipient__username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "cycle", "assessment", "region", "status", "progress", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("assessment", "region")
    # The PDF and its hash come only from the renderer; an upload here would be served as the report.
    # (Private storage has no URLs: the file is linked through the permission-checked download view.)
    exclude = ("file",)
    readonly_fields = ("pdf", "sha256", "requested_by", "attempts", "started_at", "finished_at")

    @admin.display(description="PDF")
    def pdf(self, obj):
        if not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("evaluations:report-job-download", args=[obj.pk]), obj.file.name
        )


for _audited in (Cycle, Assessment, Response, Evidence, EvidenceVersion, OfficialResult):
    admin.site.register(_audited.audit.model, HistoryAdmin)
