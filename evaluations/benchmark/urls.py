"""The project's URLs plus two reference views the bench measures every page against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from kks.urls import urlpatterns as project_urlpatterns

_BARE_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Halaman kosong</h1>{% endblock %}'
)


@login_required
def bare_view(request):
    """The floor: the whole middleware stack, a session and a user, no work."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_page(request):
    """The floor for an HTML page: base.html (navigation, inbox count) with nothing in it."""
    return HttpResponse(_BARE_PAGE.render({}, request))


urlpatterns = [
    path("_bench/bare/", bare_view, name="bench-bare-view"),
    path("_bench/page/", bare_page, name="bench-bare-page"),
    *project_urlpatterns,
]
