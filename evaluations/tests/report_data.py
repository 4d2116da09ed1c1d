"""Test data for the report tests: filled responses, evidence files in storage, bodies with SK.

Built with the shared builder (evaluations/builders.py), not the fill/review services, so the report tests
do not depend on the workflow rules (windows, permissions) yet get the rows and history the services write.
"""

from __future__ import annotations

import hashlib
import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from evaluations.builders import record_accept, record_fill, record_revision
from evaluations.models import Evidence, EvidenceVersion, Response, RevisionReason
from forums.models import BodyKind, MemberRole
from forums.tests.factories import BodyFactory, MembershipFactory


def png_bytes(size=(900, 600), color="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text: str = "Lampiran uji") -> bytes:
    from evaluations.pdf import render_pdf

    return render_pdf(f"<p style='font-family: DejaVu Sans'>{text}</p>")


def add_evidence(
    response, *, name: str, content: bytes, content_type: str, actor=None, title: str = "", data_year=None
) -> EvidenceVersion:
    """One stored evidence file, for ``data_year`` (default: the cycle's data year N)."""
    year = data_year or response.assessment.cycle.data_year
    evidence = Evidence.objects.create(response=response, title=title or name, data_year=year, created_by=actor)
    stored = default_storage.save(f"evidence/test/{uuid.uuid4().hex}", ContentFile(content))
    version = EvidenceVersion.objects.create(
        evidence=evidence,
        number=1,
        file=stored,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    evidence.current = version
    evidence.save(update_fields=["current"])
    return version


def fill(assessment, *, actor=None, reviewer=None, value=100, evidence=True, images=True, pdfs=True):
    """Answer every indicator; accept the first of each tatanan at province level; add evidence to the first.

    Returns the created evidence versions.
    """
    responses = list(
        Response.objects.filter(assessment=assessment).select_related("indicator").order_by("indicator__sort_order")
    )
    versions = []
    seen_tatanan = set()
    colors = iter(["teal", "orange", "navy", "olive", "purple", "maroon", "gray", "gold", "pink", "lime"] * 20)
    firsts = []
    for n, r in enumerate(responses):
        r.value = value if n % 2 == 0 else 50
        r.achievement = f"Capaian {r.indicator.code} tahun berjalan"
        r.explanation = f"Penjelasan OPD untuk {r.indicator.code}"
        if r.indicator.tatanan_id not in seen_tatanan:
            firsts.append(r)
            r.value_provincial = r.value  # the provincial score shown while it waits at the provinsi stage
        seen_tatanan.add(r.indicator.tatanan_id)
    record_fill(responses, actor=actor, submit=responses, extra=["value_provincial"])
    for r in firsts:
        # Accepted at kabupaten level: on to the provinsi stage, waiting there.
        record_accept(r, actor=reviewer, note="Sesuai bukti")
    for r in responses:
        first = r in firsts
        if first and evidence:
            if images:
                versions.append(
                    add_evidence(
                        r,
                        name=f"foto-{r.indicator.code}.png",
                        content=png_bytes(color=next(colors)),
                        content_type="image/png",
                        actor=actor,
                    )
                )
            if pdfs:
                versions.append(
                    add_evidence(
                        r,
                        name=f"laporan-{r.indicator.code}.pdf",
                        content=pdf_bytes(f"Lampiran {r.indicator.code}"),
                        content_type="application/pdf",
                        actor=actor,
                    )
                )
    return versions


def request_revision(response, *, reviewer):
    reason, _ = RevisionReason.objects.get_or_create(code="bukti-kurang", defaults={"label": "Bukti kurang"})
    record_revision(response, actor=reviewer, reason=reason, note="Lengkapi foto kegiatan")


def bodies(regency):
    forum = BodyFactory(
        kind=BodyKind.FORUM,
        name=f"Forum Kota Sehat {regency.name}",
        region=regency,
        sk_number="188.45/77/KEP/419.033/2024",
        sk_signed_by="Wali Kota",
        secretariat_address="Jl. Pahlawan 1",
    )
    MembershipFactory(body=forum, person_name="Siti Rahmawati", position="Tokoh masyarakat", role=MemberRole.KETUA)
    MembershipFactory(body=forum, person_name="Budi Santoso", position="Kepala Bappeda", role=MemberRole.ANGGOTA)
    pembina = BodyFactory(
        kind=BodyKind.TIM_PEMBINA, name=f"Tim Pembina KKS {regency.name}", region=regency, sk_number="050/12/KEP/2024"
    )
    MembershipFactory(body=pembina, person_name="Dr. Agus Wibowo", position="Sekretaris Daerah", role=MemberRole.KETUA)
    return forum, pembina
