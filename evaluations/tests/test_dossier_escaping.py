"""Text typed by users reaches the dossier as text: no markup, no file or network fetch through it."""

import io

import pytest
from pypdf import PdfReader

from evaluations import pdf
from evaluations.models import Assessment, Response
from evaluations.services import reports
from evaluations.tests import report_data
from forums.models import BodyKind
from forums.tests.factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PAYLOAD = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><b>tebal</b>'


@pytest.fixture
def hostile(assessment, coordinator, reviewer):
    Assessment.objects.filter(pk=assessment.pk).update(narrative=PAYLOAD)
    response = Response.objects.filter(assessment=assessment).order_by("indicator__sort_order").first()
    Response.objects.filter(pk=response.pk).update(value=100, achievement=PAYLOAD, explanation=PAYLOAD)
    report_data.add_evidence(
        response, name=f"{PAYLOAD}.pdf", content=report_data.pdf_bytes(), content_type="application/pdf", title=PAYLOAD
    )
    body = BodyFactory(
        kind=BodyKind.FORUM, name=PAYLOAD, region=assessment.regency, scope_region=assessment.regency, sk_number=PAYLOAD
    )
    MembershipFactory(body=body, person_name=PAYLOAD, position=PAYLOAD)
    return assessment


def test_user_text_in_the_dossier_html_is_escaped_and_fetches_nothing(hostile, monkeypatch):
    seen = {}
    real_render = pdf.render_pdf

    def spy(html, **kwargs):
        fetcher = pdf.SafeURLFetcher(roots=pdf.static_roots())
        seen["html"], seen["fetcher"] = html, fetcher
        return real_render(html, fetcher=fetcher, **kwargs)

    monkeypatch.setattr(reports.pdf, "render_pdf", spy)

    data = reports.render_dossier_pdf(hostile.pk)

    html = seen["html"]
    assert PAYLOAD not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "<b>tebal</b>" not in html
    assert seen["fetcher"].refused == []  # nothing user-typed was even tried
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "file:///etc/passwd" in text.replace("\n", "")
    assert b"root:x:0" not in data
