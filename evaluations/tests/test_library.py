"""The evidence library: one document linked to many indicators, dedupe by hash, carried into the next cycle."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Assessment, Document, DocumentVersion, Evidence, EvidenceVersion
from evaluations.selectors.dossier import dossier_data
from evaluations.services.assessments import assessment_create, assessments_open
from evaluations.services.errors import InvalidTransition
from evaluations.services.evidence import evidence_replace, evidence_withdraw
from evaluations.services.library import DocumentDetails, DuplicateDocument, document_link, document_upload
from evaluations.tests import samples
from evaluations.tests.factories import CycleFactory
from forums.models import Region

pytestmark = pytest.mark.django_db


def _responses(assessment, n=3):
    return list(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order")[:n])


def _upload(client, regency, content, *, title="SK Forum KKS 2025", **extra):
    data = {
        "kind": "sk",
        "title": title,
        "number": "188/45/419.33/2025",
        "issued_on": "2025-01-15",
        "signer": "Bupati",
        "valid_until": "",
        "data_year": "2024",
        "file": samples.upload("sk-forum.pdf", content),
        **extra,
    }
    return client.post(reverse("evaluations:library-upload", args=[regency.pk]), data)


def _document(regency, actor, content=None, *, valid_until=None, title="SK Forum"):
    return document_upload(
        regency=regency,
        details=DocumentDetails(kind="sk", title=title, valid_until=valid_until),
        uploaded=samples.upload("sk.pdf", content or samples.pdf_bytes()),
        actor=actor,
    )


def test_one_document_is_linked_to_three_indicators_and_reviewed_as_evidence(client, coordinator, reviewer, assessment):
    content = samples.pdf_bytes()
    client.force_login(coordinator)
    assert _upload(client, assessment.regency, content).status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.number, document.signer, document.data_year) == (
        "sk",
        "188/45/419.33/2025",
        "Bupati",
        2024,
    )
    assert document.current.sha256 == hashlib.sha256(content).hexdigest()
    assert not document.current.file.name.endswith("sk-forum.pdf")  # random storage name

    three = _responses(assessment)
    link = client.post(reverse("evaluations:library-link", args=[document.pk]), {"responses": [r.pk for r in three]})
    assert link.status_code == 302
    links = Evidence.objects.filter(document=document, withdrawn_at=None)
    assert sorted(links.values_list("response_id", flat=True)) == sorted(r.pk for r in three)
    # One stored file: every link's version points at the document's file.
    assert set(EvidenceVersion.objects.filter(evidence__in=links).values_list("file", flat=True)) == {
        document.current.file.name
    }
    assert DocumentVersion.objects.count() == 1

    # The reviewer sees it on each indicator exactly like evidence, and can download it there.
    client.force_login(reviewer)
    page = client.get(reverse("evaluations:review-detail", args=[three[1].pk]))
    assert page.status_code == 200
    assert "SK Forum KKS 2025" in page.content.decode()
    version = EvidenceVersion.objects.get(evidence__response=three[2])
    download = client.get(reverse("evaluations:evidence-download", args=[version.pk]))
    assert b"".join(download.streaming_content) == content

    # And in the dossier, one entry per indicator.
    data = dossier_data(assessment.pk)
    assert sorted(e.indicator_code for e in data.evidence) == sorted(r.indicator.code for r in three)


def test_the_same_file_uploaded_twice_offers_the_existing_document(client, coordinator, assessment):
    content = samples.pdf_bytes()
    client.force_login(coordinator)
    _upload(client, assessment.regency, content)
    again = _upload(client, assessment.regency, content, title="SK lagi")
    assert again.status_code == 409
    existing = Document.objects.get()
    assert "Berkas yang sama sudah ada di pustaka" in again.content.decode()
    assert f'href="#d{existing.pk}"' in again.content.decode()
    assert Document.objects.count() == 1
    with pytest.raises(DuplicateDocument) as raised:
        _document(assessment.regency, coordinator, content)
    assert raised.value.document == existing


def test_the_duplicate_offer_links_the_existing_document_to_the_card_it_came_from(client, coordinator, assessment):
    content = samples.pdf_bytes()
    response = _responses(assessment, 1)[0]
    existing = _document(assessment.regency, coordinator, content)
    client.force_login(coordinator)
    again = _upload(client, assessment.regency, content, response=str(response.pk))
    assert again.status_code == 409
    html = again.content.decode()
    assert reverse("evaluations:library-link", args=[existing.pk]) in html
    assert f'name="responses" value="{response.pk}"' in html


def test_a_hash_in_another_regency_is_no_duplicate(coordinator, outsider, assessment, other_assessment):
    content = samples.pdf_bytes()
    _document(assessment.regency, coordinator, content)
    _document(other_assessment.regency, outsider, content)
    assert Document.objects.count() == 2


def test_still_valid_documents_are_carried_into_the_next_cycle(coordinator, admin_user, assessment):
    first, second = _responses(assessment, 2)
    today = timezone.localdate()
    valid = _document(assessment.regency, coordinator, samples.pdf_bytes(), title="Perda berlaku")
    until_today = _document(
        assessment.regency, coordinator, samples.png_bytes(), valid_until=today, title="Berlaku hari ini"
    )
    expired = _document(
        assessment.regency,
        coordinator,
        samples.jpeg_bytes(),
        valid_until=today - datetime.timedelta(days=1),
        title="Kedaluwarsa",
    )
    unlinked = _document(assessment.regency, coordinator, samples.docx_bytes(), title="Tidak ditautkan")
    document_link(document=valid, responses=[first, second], actor=coordinator)
    document_link(document=until_today, responses=[second], actor=coordinator)
    document_link(document=expired, responses=[first], actor=coordinator)
    withdrawn = document_link(document=unlinked, responses=[first], actor=coordinator)[0]
    evidence_withdraw(evidence=withdrawn, actor=coordinator)

    cycle = CycleFactory(framework=assessment.cycle.framework, name="Siklus 2026", year=2026)
    new = assessment_create(cycle=cycle, regency=assessment.regency, actor=admin_user)
    carried = Evidence.objects.filter(response__assessment=new)
    assert sorted((e.response.indicator.code, e.document.title, e.carried) for e in carried) == sorted(
        [
            (first.indicator.code, "Perda berlaku", True),
            (second.indicator.code, "Perda berlaku", True),
            (second.indicator.code, "Berlaku hari ini", True),
        ]
    )
    # Opening again carries nothing twice; the old cycle keeps its own links, not marked as carried.
    assessment_create(cycle=cycle, regency=assessment.regency, actor=admin_user)
    assert Evidence.objects.filter(response__assessment=new).count() == 3
    assert not Evidence.objects.filter(response__assessment=assessment, carried=True).exists()


def test_the_bulk_opening_carries_too_and_the_reviewer_sees_the_mark(
    client, coordinator, reviewer, admin_user, assessment
):
    first = _responses(assessment, 1)[0]
    document = _document(assessment.regency, coordinator)
    document_link(document=document, responses=[first], actor=coordinator)
    cycle = CycleFactory(framework=assessment.cycle.framework, name="Siklus 2026", year=2026)
    assessments_open(cycle=cycle, regencies=Region.objects.filter(pk=assessment.regency_id), actor=admin_user)
    new = Assessment.objects.get(cycle=cycle)
    response = new.responses.get(indicator=first.indicator)
    assert response.evidence.get().carried
    client.force_login(reviewer)
    page = client.get(reverse("evaluations:review-detail", args=[response.pk])).content.decode()
    assert "dibawa dari siklus sebelumnya" in page
    assert "SK Forum" in page


def test_a_linked_document_is_replaced_in_the_library_not_on_the_card(coordinator, assessment):
    first = _responses(assessment, 1)[0]
    document = _document(assessment.regency, coordinator)
    evidence = document_link(document=document, responses=[first], actor=coordinator)[0]
    with pytest.raises(InvalidTransition):
        evidence_replace(evidence=evidence, uploaded=samples.upload("x.png", samples.png_bytes()), actor=coordinator)


def test_out_of_scope_library_is_404_and_non_fillers_are_403(client, coordinator, outsider, reviewer, assessment):
    document = _document(assessment.regency, coordinator)
    first = _responses(assessment, 1)[0]
    client.force_login(outsider)
    assert client.get(reverse("evaluations:library", args=[assessment.regency_id])).status_code == 404
    assert _upload(client, assessment.regency, samples.png_bytes()).status_code == 404
    link = reverse("evaluations:library-link", args=[document.pk])
    assert client.post(link, {"responses": [first.pk]}).status_code == 404
    assert client.get(reverse("evaluations:library-download", args=[document.current.pk])).status_code == 404
    assert not Evidence.objects.exists()

    client.force_login(reviewer)  # sees the regency, does not fill it
    assert client.get(reverse("evaluations:library", args=[assessment.regency_id])).status_code == 200
    assert _upload(client, assessment.regency, samples.png_bytes()).status_code == 403
    assert client.post(link, {"responses": [first.pk]}).status_code == 403
    assert not Evidence.objects.exists()


def test_an_opd_officer_links_only_to_indicators_of_their_opd(opd_officer, outsider, assessment, other_assessment):
    document = _document(assessment.regency, opd_officer)
    theirs = next(r for r in assessment.responses.all() if r.indicator.responsible_opd_kinds.exists())
    others = [r for r in assessment.responses.all() if not r.indicator.responsible_opd_kinds.exists()]
    document_link(document=document, responses=[theirs], actor=opd_officer)
    if others:
        with pytest.raises(PermissionDenied):
            document_link(document=document, responses=[others[0]], actor=opd_officer)
    # A document of one regency never reaches another regency's response.
    with pytest.raises(PermissionDenied):
        document_link(document=document, responses=[other_assessment.responses.first()], actor=outsider)


def test_fill_card_offers_the_library(client, coordinator, assessment):
    response = _responses(assessment, 1)[0]
    client.force_login(coordinator)
    tatanan = response.indicator.tatanan
    page = client.get(reverse("evaluations:tatanan-fill", args=[assessment.pk, tatanan.pk])).content.decode()
    assert f"{reverse('evaluations:library', args=[assessment.regency_id])}?jawaban={response.pk}" in page
    library = client.get(reverse("evaluations:library", args=[assessment.regency_id]), {"jawaban": response.pk})
    assert response.indicator.code in library.content.decode()


def test_a_card_upload_of_a_file_already_in_the_library_links_the_document_instead(client, coordinator, assessment):
    content = samples.pdf_bytes()
    document = _document(assessment.regency, coordinator, content, title="SK di pustaka")
    response = _responses(assessment, 1)[0]
    client.force_login(coordinator)
    saved = client.post(
        reverse("evaluations:response-save", args=[response.pk]),
        {
            f"r{response.pk}-version": response.version,
            f"r{response.pk}-value": "50",
            f"r{response.pk}-evidence_files": [samples.upload("salinan-sk.pdf", content)],
            "action": "save",
        },
    )
    assert saved.status_code == 302
    evidence = Evidence.objects.get(response=response)
    assert (evidence.document, evidence.title) == (document, "SK di pustaka")
    assert evidence.current.file.name == document.current.file.name  # no second copy stored
