from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from forums.models import Region, RegionKind, RegionLevel
from forums.services import regions_load
from forums.services.regions import kind_of


def _count(level, **kw):
    return Region.objects.filter(level=level, **kw).count()


@pytest.mark.django_db
def test_load_regions_gives_38_provinces_and_514_regencies_with_kinds_and_parents():
    out = StringIO()
    call_command("load_regions", stdout=out)

    assert _count(RegionLevel.PROVINCE) == 38
    assert _count(RegionLevel.REGENCY) == 514
    assert _count(RegionLevel.REGENCY, kind=RegionKind.KABUPATEN) == 416
    assert _count(RegionLevel.REGENCY, kind=RegionKind.KOTA) == 98
    assert not Region.objects.filter(level=RegionLevel.DISTRICT).exists()
    kediri = Region.objects.select_related("parent").get(code="35.71")
    assert (kediri.name, kediri.kind, kediri.parent.code, kediri.parent.name) == (
        "Kota Kediri",
        RegionKind.KOTA,
        "35",
        "Jawa Timur",
    )
    assert Region.objects.get(code="35.06").kind == RegionKind.KABUPATEN
    assert not Region.objects.filter(level=RegionLevel.REGENCY, parent__isnull=True).exists()
    assert "kabupaten/kota: 514 baru" in out.getvalue()


@pytest.mark.django_db
def test_load_regions_rerun_creates_nothing_and_repairs_changed_names():
    regions_load()
    ids = dict(Region.objects.values_list("code", "pk"))
    Region.objects.filter(code="35.71").update(name="Kediri (lama)", kind=RegionKind.KABUPATEN)

    result = regions_load()

    assert dict(Region.objects.values_list("code", "pk")) == ids
    assert result.created == {RegionLevel.PROVINCE: 0, RegionLevel.REGENCY: 0}
    assert result.updated[RegionLevel.REGENCY] == 1
    kediri = Region.objects.get(code="35.71")
    assert (kediri.name, kediri.kind) == ("Kota Kediri", RegionKind.KOTA)


@pytest.mark.django_db
def test_load_regions_with_regency_loads_its_kecamatan_and_desa_only():
    call_command("load_regions", "--regency", "35.71", stdout=StringIO())

    kecamatan = Region.objects.filter(level=RegionLevel.DISTRICT)
    assert sorted(kecamatan.values_list("name", flat=True)) == ["Kota", "Mojoroto", "Pesantren"]
    assert {k.parent.code for k in kecamatan.select_related("parent")} == {"35.71"}
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.count() == 46
    assert not villages.exclude(code__startswith="35.71.").exists()
    assert not villages.filter(parent__isnull=True).exists()
    # Kota Kediri has kelurahan only (codes 1xxx).
    assert set(villages.values_list("kind", flat=True)) == {RegionKind.KELURAHAN}

    call_command("load_regions", "--regency", "3571", stdout=StringIO())
    assert Region.objects.filter(level=RegionLevel.VILLAGE).count() == 46


@pytest.mark.django_db
def test_load_regions_rejects_an_unknown_regency_code_and_loads_nothing():
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("load_regions", "--regency", "99.99", stdout=StringIO())
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("35", "Jawa Timur", RegionKind.PROVINCE),
        ("35.06", "Kabupaten Kediri", RegionKind.KABUPATEN),
        ("35.71", "Kota Kediri", RegionKind.KOTA),
        ("35.99", "Nama Tanpa Awalan", RegionKind.KOTA),
        ("35.70", "Nama Tanpa Awalan", RegionKind.KABUPATEN),
        ("35.71.01", "Mojoroto", RegionKind.KECAMATAN),
        ("35.06.01.2001", "Sumberbendo", RegionKind.DESA),
        ("35.71.01.1001", "Pojok", RegionKind.KELURAHAN),
        ("91.03.01.3007", "Desa Adat Yoboi", RegionKind.DESA),
    ],
)
def test_kind_of_code(code, name, kind):
    assert kind_of(code, name) == kind


@pytest.mark.django_db
def test_loading_subregions_only_needs_the_regency_to_exist():
    with pytest.raises(ValidationError, match="load_regions"):
        regions_load(regency_codes=["35.71"], include_base=False)
    assert not Region.objects.exists()
