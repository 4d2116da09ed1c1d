"""Issue 11: the closed blocks of a fill card (definitions, history, comments, old evidence versions) are not
in the page; they load when opened – htmx fetches a fragment, without JavaScript the link opens a page – from
one endpoint behind the response's visibility (out of scope: 404)."""

import pytest

from evaluations.services.comments import comment_add
from evaluations.services.evidence import evidence_add, evidence_replace
from evaluations.tests import samples
from evaluations.tests.workflow import filled, submitted

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tatanan(framework):
    return framework.tatanan.order_by("number").first()


@pytest.fixture
def answered(assessment, tatanan, coordinator):
    """A submitted answer with history, a comment, and evidence in two versions."""
    response = assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order").first()
    filled(response, coordinator)
    evidence = evidence_add(response=response, uploaded=samples.pdf("pertama.pdf"), actor=coordinator, title="Notulen")
    evidence_replace(evidence=evidence, uploaded=samples.pdf("kedua.pdf"), actor=coordinator)
    submitted(response, coordinator)
    comment_add(response=response, body="Notulen rapat menyusul", actor=coordinator)
    return response, evidence


def block(response, name, query=""):
    return f"/jawaban/{response.pk}/bagian/{name}/{query}"


def test_the_fill_page_links_the_closed_blocks_instead_of_carrying_them(
    client, coordinator, assessment, tatanan, answered
):
    response, evidence = answered
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/").content.decode()

    assert "Notulen rapat menyusul" not in html  # the comment
    assert "pertama.pdf" not in html  # the older version
    assert "OPD penanggung jawab" not in html
    for name in ("definisi", "riwayat", "komentar"):
        assert f'hx-get="{block(response, name)}" hx-trigger="toggle once"' in html
        assert f'<a href="{block(response, name)}">' in html  # the no-JavaScript fallback
    assert f'href="{block(response, "versi", f"?bukti={evidence.pk}")}"' in html
    assert "Komentar (1)" in html
    assert "Riwayat status (1)" in html  # the submission; the save alone is no status change


def test_htmx_gets_the_fragment_and_a_plain_request_a_page(client, coordinator, answered):
    response, evidence = answered
    client.force_login(coordinator)

    fragment = client.get(block(response, "komentar"), headers=HTMX).content.decode()
    assert "Notulen rapat menyusul" in fragment
    assert "<html" not in fragment
    assert 'hx-post="/jawaban/' in fragment  # the comment form swaps its card

    page = client.get(block(response, "komentar")).content.decode()
    assert "<html" in page
    assert "Notulen rapat menyusul" in page
    assert f'name="next" value="{block(response, "komentar")}"' in page  # back here after posting
    assert f'href="/penilaian/{response.assessment_id}/tatanan/' in page  # back to the card

    history = client.get(block(response, "riwayat"), headers=HTMX).content.decode()
    assert "<strong>Diajukan</strong>" in history
    assert "OPD penanggung jawab</dt>" in client.get(block(response, "definisi"), headers=HTMX).content.decode()
    versions = client.get(block(response, "versi", f"?bukti={evidence.pk}"), headers=HTMX).content.decode()
    assert "pertama.pdf" in versions
    assert "kedua.pdf" not in versions  # the current one is on the card


def test_blocks_out_of_scope_are_404(client, coordinator, outsider, answered):
    response, evidence = answered
    client.force_login(coordinator)
    assert client.get(block(response, "riwayat")).status_code == 200
    assert client.get(block(response, "versi", f"?bukti={evidence.pk}")).status_code == 200
    client.force_login(outsider)
    for name in ("definisi", "riwayat", "komentar"):
        assert client.get(block(response, name), headers=HTMX).status_code == 404
        assert client.get(block(response, name)).status_code == 404
    assert client.get(block(response, "versi", f"?bukti={evidence.pk}")).status_code == 404


def test_provincial_and_national_users_in_scope_see_the_blocks(client, provincial, national, answered):
    response, _evidence = answered
    for user in (provincial, national):
        client.force_login(user)
        assert "Notulen rapat menyusul" in client.get(block(response, "komentar"), headers=HTMX).content.decode()


def test_an_unknown_block_or_evidence_of_another_response_is_404(client, coordinator, assessment, answered):
    response, evidence = answered
    client.force_login(coordinator)
    assert client.get(block(response, "rahasia")).status_code == 404
    other = assessment.responses.exclude(pk=response.pk).first()
    assert client.get(block(other, "versi", f"?bukti={evidence.pk}")).status_code == 404
    assert client.get(block(response, "versi")).status_code == 404


def test_anonymous_users_are_sent_to_the_login(client, answered):
    response, _evidence = answered
    assert client.get(block(response, "riwayat")).status_code == 302
