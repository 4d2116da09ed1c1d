"""Read-only pages for browsing framework versions; every signed-in role may read them."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from forums.permissions import can_manage_frameworks

from .models import FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan

TATANAN_INDICATORS = Count("indicators", filter=Q(indicators__kind=IndicatorKind.TATANAN), distinct=True)
KELEMBAGAAN_INDICATORS = Count("indicators", filter=Q(indicators__kind=IndicatorKind.KELEMBAGAAN), distinct=True)


def _indicators():
    """Indicators with everything the indicator partial shows, in a constant number of queries."""
    return Indicator.objects.order_by("sort_order").prefetch_related(
        Prefetch("scale_options", queryset=ScaleOption.objects.order_by("-value")), "responsible_opd_kinds"
    )


@login_required
def framework_list(request):
    frameworks = FrameworkVersion.objects.annotate(
        n_tatanan=Count("tatanan", distinct=True), n_indicators=TATANAN_INDICATORS, n_kelembagaan=KELEMBAGAAN_INDICATORS
    ).order_by("-year", "code")  # Meta.ordering is not applied to a GROUP BY query
    context = {"frameworks": frameworks, "can_import": can_manage_frameworks(request.user)}
    return render(request, "tatanan/framework_list.html", context)


@login_required
def framework_detail(request, code):
    framework = get_object_or_404(FrameworkVersion.objects.annotate(n_kelembagaan=KELEMBAGAAN_INDICATORS), code=code)
    tatanan = framework.tatanan.annotate(n_indicators=Count("indicators")).order_by("number")
    return render(request, "tatanan/framework_detail.html", {"framework": framework, "tatanan_list": tatanan})


@login_required
def tatanan_detail(request, code, number):
    tatanan = get_object_or_404(Tatanan.objects.select_related("framework"), framework__code=code, number=number)
    siblings = list(Tatanan.objects.filter(framework=tatanan.framework_id).order_by("number").values("number", "name"))
    position = next(i for i, s in enumerate(siblings) if s["number"] == number)
    context = {
        "framework": tatanan.framework,
        "tatanan": tatanan,
        "indicators": _indicators().filter(tatanan=tatanan),
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
    }
    return render(request, "tatanan/tatanan_detail.html", context)


@login_required
def kelembagaan_detail(request, code):
    framework = get_object_or_404(FrameworkVersion, code=code)
    indicators = _indicators().filter(framework=framework, kind=IndicatorKind.KELEMBAGAAN)
    return render(request, "tatanan/kelembagaan_detail.html", {"framework": framework, "indicators": indicators})
