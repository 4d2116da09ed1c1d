""" "Indikator saya" and the sent-back list on the home page: what a filler must do first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Response, ResponseStatus
from evaluations.selectors.mine import sent_back_for, work_of
from evaluations.tests.workflow import fresh, send_back, submitted
from forums.tests.factories import OpdKindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tatanan_responses(assessment):
    return list(
        Response.objects.filter(assessment=assessment, indicator__tatanan__isnull=False)
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )


@pytest.fixture
def two_sent_back(tatanan_responses, coordinator, reviewer):
    """Two responses sent back with deadlines in the opposite order of the framework, a third submitted."""
    first, second, third = tatanan_responses[:3]
    for response in (first, second, third):
        submitted(response, coordinator)
    send_back(first, reviewer, note="Lampirkan SK")
    send_back(second, reviewer, note="Foto kurang")
    soon = timezone.now() + datetime.timedelta(hours=20)
    Response.objects.filter(pk=second.pk).update(revision_due=soon)  # nearer deadline: listed first
    return fresh(first), fresh(second), fresh(third)


def test_sent_back_items_come_nearest_deadline_first_for_the_coordinator(coordinator, two_sent_back):
    first, second, _third = two_sent_back
    assert [r.pk for r in sent_back_for(user=coordinator)] == [second.pk, first.pk]
    assert sent_back_for(user=coordinator)[1].last_revision.note == "Lampirkan SK"


def test_an_opd_officer_sees_only_what_their_opd_fills(opd_officer, two_sent_back):
    first, second, _third = two_sent_back
    first.indicator.responsible_opd_kinds.set([OpdKindFactory(code="bappeda", name="Bappeda")])
    assert [r.pk for r in sent_back_for(user=opd_officer)] == [second.pk]


def test_reviewers_and_outsiders_get_no_filler_list(reviewer, outsider, national, admin_user, two_sent_back):
    for user in (reviewer, outsider, national, admin_user):
        assert sent_back_for(user=user) == []


def test_the_home_page_shows_the_sent_back_items_first(client, coordinator, two_sent_back):
    first, second, _ = two_sent_back
    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()

    assert "2 indikator dikembalikan untuk diperbaiki" in html
    assert html.index("dikembalikan untuk diperbaiki") < html.index("Penilaian</h2>")
    assert html.index(second.indicator.name) < html.index(first.indicator.name)
    fill = reverse("evaluations:tatanan-fill", args=[first.assessment_id, first.indicator.tatanan_id])
    assert f'href="{fill}#r{first.pk}"' in html
    assert "Foto kurang" in html
    assert "Batas perbaikan" in html


def test_an_overdue_fix_is_marked(client, coordinator, two_sent_back):
    first, _second, _ = two_sent_back
    Response.objects.filter(pk=first.pk).update(revision_due=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(coordinator)
    assert "Lewat batas" in client.get(reverse("home")).content.decode()


def test_home_without_sent_back_items_links_my_indicators(client, opd_officer, assessment):
    client.force_login(opd_officer)
    html = client.get(reverse("home")).content.decode()
    assert "dikembalikan untuk diperbaiki" not in html
    assert reverse("evaluations:my-indicators") in html


def test_work_is_counted_per_tatanan(coordinator, two_sent_back, assessment):
    [work] = work_of(user=coordinator, kelembagaan_label="Kelembagaan")
    assert work.assessment == assessment
    assert [g.number for g in work.groups] == [1, 2, None]  # kelembagaan last
    t1 = work.groups[0]
    assert (t1.total, t1.empty, t1.sent_back, t1.waiting) == (3, 0, 2, 1)
    assert t1.next_due == two_sent_back[1].revision_due
    totals = work.totals
    assert totals.sent_back == 2
    assert totals.open == totals.empty + totals.draft + 2
    assert [r.pk for r in work.sent_back] == [two_sent_back[1].pk, two_sent_back[0].pk]


def test_an_opd_officer_counts_only_their_indicators(opd_officer, assessment):
    [work] = work_of(user=opd_officer, kelembagaan_label="Kelembagaan")
    assert [g.number for g in work.groups] == [1, 2]  # kelembagaan is the coordinator's
    assert (
        sum(g.total for g in work.groups)
        == Response.objects.filter(assessment=assessment, indicator__tatanan__isnull=False).count()
    )


def test_the_page_lists_counts_and_links(client, opd_officer, two_sent_back):
    client.force_login(opd_officer)
    html = client.get(reverse("evaluations:my-indicators")).content.decode()
    first = two_sent_back[0]
    assert "Indikator saya" in html
    assert "Dikembalikan untuk diperbaiki" in html
    assert "2 dikembalikan" in html
    assert "1 menunggu verifikasi" in html
    assert (
        reverse("evaluations:tatanan-fill", args=[first.assessment_id, first.indicator.tatanan_id]) + "?saya=1" in html
    )
    assert first.status == ResponseStatus.REVISION_REQUESTED


def test_the_page_is_for_fillers_only(client, reviewer, provincial, national, admin_user):
    for user in (reviewer, provincial, national, admin_user):
        client.force_login(user)
        assert client.get(reverse("evaluations:my-indicators")).status_code == 403


def test_the_query_count_does_not_grow_with_the_sent_back_items(
    client, coordinator, reviewer, tatanan_responses, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("evaluations:my-indicators")
    for response in tatanan_responses[:1]:
        submitted(response, coordinator)
        send_back(response, reviewer)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for response in tatanan_responses[1:]:
        submitted(response, coordinator)
        send_back(response, reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_phone_header_shows_unread_messages_outside_the_menu(client, coordinator, two_sent_back):
    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()
    head = html[: html.index('<details class="nav-menu')]
    assert "pesan baru" in head
    assert 'class="btn btn-warning btn-sm d-md-none' in head
