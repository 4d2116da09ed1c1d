"""Fixtures for the forums pages: bodies in the personas' regions, a seat, an SK file."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forums.models import BodyKind
from forums.tests.factories import BodyFactory, MembershipFactory
from kks.tests.samples import pdf_bytes, png_bytes

PDF_BYTES = pdf_bytes("SK Wali Kota")
PNG_BYTES = png_bytes()


def sk_pdf(name="SK Forum.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def forum(regency):
    return BodyFactory(
        kind=BodyKind.FORUM,
        name="Forum Kota Sehat Kediri",
        region=regency,
        scope_region=regency,
        sk_date=datetime.date(2024, 1, 15),
        sk_signed_by="Wali Kota Kediri",
    )


@pytest.fixture
def tim_pembina_provinsi(province):
    return BodyFactory(
        kind=BodyKind.TIM_PEMBINA_PROVINSI, name="Tim Pembina KKS Jawa Timur", region=province, scope_region=province
    )


@pytest.fixture
def other_forum(other_regency):
    return BodyFactory(
        kind=BodyKind.FORUM, name="Forum Makassar Sehat", region=other_regency, scope_region=other_regency
    )


@pytest.fixture
def seat(forum):
    return MembershipFactory(body=forum, person_name="Siti Aminah", role="ketua")


@pytest.fixture
def forum_with_sk(forum, coordinator):
    from forums.services import body_update

    return body_update(body=forum, actor=coordinator, sk_file=sk_pdf())


@pytest.fixture
def staged_import(provincial, regency):
    """A clean bulk-import upload staged by the provincial official, not yet committed."""
    from forums.services.account_import import users_import_parse, users_import_stage

    upload = SimpleUploadedFile(
        "akun.csv",
        b"username,nama lengkap,email,peran,kode wilayah\nkoor_baru,Ani,ani@example.test,forum_coordinator,35.71\n",
    )
    return users_import_stage(preview=users_import_parse(file=upload, actor=provincial), actor=provincial)
