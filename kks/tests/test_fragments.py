"""kks.fragments: the digest that keys cached fragments reads everything loaded with an object."""

import dataclasses

import pytest
from django.conf import settings

from evaluations.models import Response
from kks.fragments import Undigestible, release_files, state_digest

pytestmark = pytest.mark.django_db


def test_a_back_reference_is_named_not_followed(assessment):
    response = Response.objects.select_related("assessment").filter(assessment=assessment).first()
    response.assessment.first_response = response  # a cycle, as a prefetched evidence's response makes
    assert state_digest(response) == state_digest(response)


def test_loaded_related_rows_and_attached_values_are_in_the_digest(assessment):
    response = (
        Response.objects.select_related("indicator")
        .prefetch_related("indicator__scale_options")
        .filter(assessment=assessment)[0]
    )
    before = state_digest(response)
    option = response.indicator.scale_options.all()[0]
    option.description = "lain"
    assert state_digest(response) != before  # a prefetched row
    option.description = response.indicator.scale_options.model.objects.get(pk=option.pk).description
    assert state_digest(response) == before
    response.indicator.name = "lain"
    assert state_digest(response) != before  # a select_related row

    @dataclasses.dataclass
    class Note:
        text: str

    response.indicator.name = Response.objects.get(pk=response.pk).indicator.name
    response.note = Note("a")
    first = state_digest(response)
    response.note = Note("b")
    assert state_digest(response) != first  # an attached dataclass


def test_what_it_cannot_read_is_refused_not_guessed(assessment):
    response = Response.objects.filter(assessment=assessment).first()
    response.rows = Response.objects.all()  # not evaluated: reading it would be a query
    with pytest.raises(Undigestible):
        state_digest(response)
    response.rows = object()
    with pytest.raises(Undigestible):
        state_digest(response)


def test_the_release_covers_the_templates_and_template_tags():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in release_files()}
    assert "evaluations/templates/evaluations/fill/_card.html" in names
    assert "evaluations/templates/evaluations/_evidence_list.html" in names
    assert "templates/_upload_extras.html" in names
    assert "evaluations/templatetags/review_ui.py" in names
    assert "evaluations/models.py" in names
    assert not any(".venv" in name for name in names)


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("redis is down")

    set = get

    def get_many(self, keys):
        raise ConnectionError("redis is down")

    def set_many(self, *args, **kwargs):
        raise AssertionError("nothing is stored when the cache could not be read")


def test_without_a_working_cache_the_fragments_are_rendered(rf, monkeypatch, caplog):
    from kks import fragments

    monkeypatch.setattr(fragments, "cache", BrokenCache())
    request = rf.get("/")
    html = fragments.render_cached(
        request, "evaluations/reports/_legend.html", [({}, "digest-a"), ({}, None)], kind="probe", timeout=60
    )
    assert len(html) == 2
    assert html[0] == html[1]
    assert html[0].strip()
    assert "cache unavailable" in caplog.text


class ReadOnlyCache:
    def get_many(self, keys):
        return {}

    def set_many(self, *args, **kwargs):
        raise ConnectionError("redis is out of memory")


def test_a_cache_that_cannot_store_still_gives_the_page(rf, monkeypatch, caplog):
    from kks import fragments

    monkeypatch.setattr(fragments, "cache", ReadOnlyCache())
    html = fragments.render_cached(
        rf.get("/"), "evaluations/reports/_legend.html", [({}, "digest-a")], kind="probe", timeout=60
    )
    assert html[0].strip()
    assert "not stored" in caplog.text
