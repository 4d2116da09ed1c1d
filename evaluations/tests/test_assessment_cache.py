"""Issue 11: the assessment page's body is cached under a digest of everything it shows (kks/fragments.py):
a second view equals the first without rendering it again, and each change shows at once."""

import re
from unittest import mock

import pytest
from django.template import loader
from django.utils import timezone

from evaluations.tests.workflow import close_all_windows, filled, submitted
from evaluations.views import assessments

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def renders(monkeypatch):
    """How many times the body template was rendered (not read from the cache)."""
    count = {"n": 0}

    get_template = loader.get_template

    def spying(name, *args, **kwargs):
        template = get_template(name, *args, **kwargs)
        if name == assessments.BODY_TEMPLATE:
            render = template.render

            def counted(*a, **k):
                count["n"] += 1
                return render(*a, **k)

            template = mock.Mock(wraps=template, render=counted)
        return template

    monkeypatch.setattr("kks.fragments.get_template", spying)
    return count


def _page(client, assessment) -> str:
    return TOKEN.sub(r'\1"', client.get(f"/penilaian/{assessment.pk}/").content.decode())


def test_a_second_view_is_read_from_the_cache_and_is_the_same_page(client, coordinator, assessment, renders):
    client.force_login(coordinator)
    cold = _page(client, assessment)
    assert renders["n"] == 1
    warm = _page(client, assessment)
    assert renders["n"] == 1
    assert warm == cold
    assert 'action="/penilaian/' in warm  # the general data form, with this request's token
    assert "kks-csrf-placeholder" not in client.get(f"/penilaian/{assessment.pk}/").content.decode()


def test_answers_general_data_and_windows_show_at_once(client, coordinator, assessment, cycle):
    client.force_login(coordinator)
    before = _page(client, assessment)
    response = assessment.responses.order_by("indicator__sort_order").first()
    submitted(response, coordinator)
    after = _page(client, assessment)
    assert after != before  # progress and the forecast counted the submission

    client.post(
        f"/penilaian/{assessment.pk}/data-umum/",
        {"odf_kecamatan_count": 3, "odf_village_count": 46, "odf_stop_babs_count": 40, "narrative": "Kota kecil"},
    )
    assert "Kota kecil" in _page(client, assessment)

    close_all_windows(cycle)
    closed = _page(client, assessment)
    assert 'action="/penilaian/' not in closed.split("Data umum dan ODF")[1]


def test_the_window_closing_by_time_alone_shows(client, coordinator, assessment, cycle):
    client.force_login(coordinator)
    assert 'action="/penilaian/' in _page(client, assessment).split("Data umum dan ODF")[1]
    later = cycle.self_assessment_closes + timezone.timedelta(minutes=1)
    clock = mock.Mock(wraps=timezone, now=lambda: later)  # the cycle's clock only: sessions keep theirs
    with mock.patch("evaluations.services.cycles.timezone", clock):
        assert 'action="/penilaian/' not in _page(client, assessment).split("Data umum dan ODF")[1]


def test_each_user_sees_their_own_page(client, coordinator, reviewer, assessment):
    filled(assessment.responses.first(), coordinator)
    client.force_login(coordinator)
    assert 'action="/penilaian/' in _page(client, assessment).split("Data umum dan ODF")[1]
    client.force_login(reviewer)
    assert 'action="/penilaian/' not in _page(client, assessment).split("Data umum dan ODF")[1]


def test_a_refused_form_shows_its_errors_and_is_never_cached(client, coordinator, assessment):
    client.force_login(coordinator)
    _page(client, assessment)
    refused = client.post(
        f"/penilaian/{assessment.pk}/data-umum/",
        {"odf_kecamatan_count": 3, "odf_village_count": 10, "odf_stop_babs_count": 12, "narrative": "Narasi saya"},
    ).content.decode()
    assert "tidak boleh melebihi" in refused
    again = _page(client, assessment)
    assert "tidak boleh melebihi" not in again
    assert "Narasi saya" not in again
