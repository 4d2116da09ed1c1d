"""Pages are compressed for slow links; the BREACH mitigation makes equal pages differ in size."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_when_the_client_accepts_it(client, coordinator, assessment):
    client.force_login(coordinator)
    tatanan = assessment.cycle.framework.tatanan.order_by("number").first()
    url = reverse("evaluations:tatanan-fill", args=[assessment.pk, tatanan.pk])

    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content).decode()
    assert f"Tatanan {tatanan.number}" in body
    assert len(packed.content) < len(plain.content) / 3


def test_the_login_page_is_compressed_with_heal_the_breach_padding(client):
    sizes = {len(client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(sizes) > 1  # random gzip filename padding (Django's BREACH mitigation)
