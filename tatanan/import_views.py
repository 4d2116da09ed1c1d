"""Framework import from the web, for the national admin: upload, dry run and diff, load or publish.

Every page answers 403 to anyone but the national admin (``can_manage_frameworks``). GET pages
never write; loading and publishing are POSTs that use the stored file (no second upload).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forums.permissions import can_manage_frameworks

from . import selectors, services
from .forms import CompareForm, FrameworkUploadForm
from .loader import FrameworkFileError
from .models import FrameworkImport, ImportStatus
from .services import FrameworkLoadError

LOAD_MESSAGES = {
    "created": gettext_lazy("Kerangka %(code)s dimuat sebagai draf."),
    "replaced": gettext_lazy("Draf kerangka %(code)s diganti dengan isi berkas ini."),
    "published": gettext_lazy("Kerangka %(code)s diterbitkan."),
    "unchanged": gettext_lazy("Kerangka %(code)s sudah dimuat dari berkas yang sama; tidak ada yang berubah."),
}
PUBLISH_MESSAGES = {
    **dict.fromkeys(("created", "replaced", "published"), gettext_lazy("Kerangka %(code)s diterbitkan.")),
    "unchanged": gettext_lazy("Kerangka %(code)s sudah terbit dari berkas yang sama; tidak ada yang berubah."),
}


def _require_manager(request) -> None:
    if not can_manage_frameworks(request.user):
        raise PermissionDenied


def _get_import(request, pk) -> FrameworkImport:
    _require_manager(request)
    return get_object_or_404(FrameworkImport.objects.select_related("uploaded_by", "published_by", "framework"), pk=pk)


@login_required
def import_list(request):
    _require_manager(request)
    page = Paginator(selectors.import_list(), 25).get_page(request.GET.get("page"))
    return render(request, "tatanan/import_list.html", {"page": page})


@login_required
def import_upload(request):
    _require_manager(request)
    form = FrameworkUploadForm(request.POST, request.FILES) if request.method == "POST" else FrameworkUploadForm()
    if request.method == "POST" and form.is_valid():
        file_name, data = form.cleaned_data["file"]
        record = services.framework_import_create(file_name=file_name, data=data, actor=request.user)
        return redirect(record)
    return render(request, "tatanan/import_upload.html", {"form": form})


def _dry_run_context(request, record: FrameworkImport) -> dict:
    dry_run = selectors.import_dry_run(record, compare_code=request.GET.get("banding") or None)
    compare = CompareForm(
        initial={"banding": dry_run.previous.code if dry_run.previous else ""}, choices=dry_run.choices
    )
    return {"record": record, "dry_run": dry_run, "compare": compare, "spec": dry_run.spec}


@login_required
def import_detail(request, pk):
    """The dry run: every problem with its line and field, or the summary and the diff with a published version."""
    record = _get_import(request, pk)
    return render(request, "tatanan/import_detail.html", _dry_run_context(request, record))


def _run(request, record: FrameworkImport, *, publish: bool) -> bool:
    service = services.framework_import_publish if publish else services.framework_import_load
    try:
        result = service(framework_import=record, actor=request.user)
    except (FrameworkLoadError, FrameworkFileError) as exc:
        messages.error(request, _("Berkas tidak dapat dimuat: %(reason)s") % {"reason": exc})
        return False
    outcomes = PUBLISH_MESSAGES if publish else LOAD_MESSAGES
    messages.success(request, outcomes[result.outcome] % {"code": result.framework.code})
    return True


@login_required
@require_POST
def import_load(request, pk):
    """Load the stored file as a draft framework (``load_framework FILE``)."""
    record = _get_import(request, pk)
    _run(request, record, publish=False)
    return redirect(record)


@login_required
def import_publish(request, pk):
    """GET: the confirmation page; POST: load if needed and publish (``load_framework FILE --publish``)."""
    record = _get_import(request, pk)
    if request.method == "POST":
        if _run(request, record, publish=True):
            return redirect("tatanan:framework-list")
        return redirect(record)
    context = _dry_run_context(request, record)
    if record.status in (ImportStatus.INVALID, ImportStatus.PUBLISHED) or not context["dry_run"].can_load:
        return redirect(record)
    return render(request, "tatanan/import_publish.html", context)


urlpatterns = [
    path("impor/", import_list, name="import-list"),
    path("impor/unggah/", import_upload, name="import-upload"),
    path("impor/<int:pk>/", import_detail, name="import-detail"),
    path("impor/<int:pk>/muat/", import_load, name="import-load"),
    path("impor/<int:pk>/terbitkan/", import_publish, name="import-publish"),
]
