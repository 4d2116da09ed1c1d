"""Loading the shipped 2025 instrument, idempotent re-runs, drafts and published immutability."""

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from evaluations.tests.factories import CycleFactory, make_assessment
from forums.models import OpdKind
from tatanan.loader import FrameworkFileError
from tatanan.models import FrameworkStatus, FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan
from tatanan.services import FrameworkLoadError, framework_load, framework_publish

from .samples import SMALL_YAML, small_yaml

pytestmark = pytest.mark.django_db

SHIPPED = Path(settings.BASE_DIR) / "tatanan" / "data" / "kks-2025-r2.yaml"
PER_TATANAN = {1: 29, 2: 22, 3: 11, 4: 13, 5: 11, 6: 12, 7: 11, 8: 13, 9: 14}
TATANAN_NAMES = [
    "Kehidupan Masyarakat Sehat Mandiri",
    "Permukiman dan Fasilitas Umum",
    "Satuan Pendidikan",
    "Pasar",
    "Perkantoran dan Perindustrian",
    "Pariwisata",
    "Transportasi dan Tertib Lalu Lintas Jalan",
    "Perlindungan Sosial",
    "Penanggulangan Bencana",
]


@pytest.fixture
def shipped(db):
    call_command("load_framework", str(SHIPPED), "--publish")
    return FrameworkVersion.objects.get(code="kks-2025-r2")


def _snapshot(framework):
    return (
        list(Tatanan.objects.filter(framework=framework).values_list("pk", "number", "name")),
        list(Indicator.objects.filter(framework=framework).values_list("pk", "code", "name")),
        ScaleOption.objects.filter(indicator__framework=framework).count(),
        OpdKind.objects.count(),
    )


def test_shipped_file_gives_nine_tatanan_with_the_published_counts(shipped):
    assert shipped.status == FrameworkStatus.PUBLISHED
    assert shipped.published_at is not None
    assert list(shipped.tatanan.order_by("number").values_list("name", flat=True)) == TATANAN_NAMES
    per_tatanan = Counter(
        Indicator.objects.filter(framework=shipped, kind=IndicatorKind.TATANAN).values_list(
            "tatanan__number", flat=True
        )
    )
    assert dict(per_tatanan) == PER_TATANAN
    assert sum(per_tatanan.values()) == 136
    assert Indicator.objects.filter(framework=shipped, kind=IndicatorKind.KELEMBAGAAN).count() == 16


def test_shipped_kelembagaan_covers_four_bodies_with_their_scales(shipped):
    kelembagaan = Indicator.objects.filter(framework=shipped, kind=IndicatorKind.KELEMBAGAAN).prefetch_related(
        "scale_options"
    )
    assert Counter(k.body_kind for k in kelembagaan) == {"tim_pembina": 4, "forum": 4, "fkk": 4, "pokja": 4}
    scales = Counter(tuple(k.allowed_values()) for k in kelembagaan)
    assert scales == {(100, 0): 8, (100, 50, 0): 8}


def test_shipped_scales_and_responsible_opd_kinds(shipped):
    indicators = Indicator.objects.filter(framework=shipped, kind=IndicatorKind.TATANAN).prefetch_related(
        "scale_options", "responsible_opd_kinds"
    )
    scales = Counter(tuple(i.allowed_values()) for i in indicators)
    assert scales == {(100, 50, 0): 101, (100, 75, 50, 0): 24, (100, 75, 50, 25, 0): 8, (100, 50, 25, 0): 3}
    assert all(i.responsible_opd_kinds.all() for i in indicators)
    first = indicators.get(code="T1-01")
    assert first.name == "Jumlah Kematian Ibu"
    assert [k.code for k in first.responsible_opd_kinds.all()] == ["dinkes"]
    assert "MPDN" in first.required_evidence


def test_the_first_2025_file_still_loads_for_databases_that_have_it():
    old = SHIPPED.with_name("kks-2025.yaml")
    result = framework_load(data=old.read_bytes(), source_name=str(old), publish=True)
    assert (result.framework.code, result.framework.indicators.count()) == ("kks-2025", 152)
    again = framework_load(data=SHIPPED.read_bytes(), source_name=str(SHIPPED), publish=True)
    assert again.framework.code == "kks-2025-r2"
    assert FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED).count() == 2


def test_rerunning_the_same_file_changes_nothing(shipped, django_assert_max_num_queries):
    before = _snapshot(shipped)
    with django_assert_max_num_queries(3):
        result = framework_load(data=SHIPPED.read_bytes(), source_name=str(SHIPPED), publish=True)
    assert result.outcome == "unchanged"
    assert _snapshot(shipped) == before


def test_command_reports_already_loaded(shipped, capsys):
    call_command("load_framework", str(SHIPPED), "--publish")
    assert "Already loaded" in capsys.readouterr().out


def test_shipped_file_as_json_loads_the_same(tmp_path):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    path = tmp_path / "kks-2025.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_framework", str(path))
    framework = FrameworkVersion.objects.get(code="kks-2025-r2")
    assert framework.status == FrameworkStatus.DRAFT
    assert framework.indicators.count() == 152


def test_existing_opd_kind_is_reused(opd_kind):
    framework_load(data=SMALL_YAML, source_name="small.yaml")
    assert OpdKind.objects.filter(code="dinkes").get() == opd_kind
    assert list(Indicator.objects.get(code="T1-01").responsible_opd_kinds.all()) == [opd_kind]


def test_published_framework_refuses_a_different_file(tmp_path):
    framework_load(data=SMALL_YAML, source_name="small.yaml", publish=True)
    framework = FrameworkVersion.objects.get(code="uji-kecil")
    before = _snapshot(framework)
    path = tmp_path / "small.yaml"
    path.write_text(small_yaml(("name: Pasar sehat", "name: Pasar sehat sekali")), encoding="utf-8")
    with pytest.raises(CommandError, match="'uji-kecil' is published and cannot be changed"):
        call_command("load_framework", str(path))
    assert _snapshot(framework) == before
    assert Indicator.objects.get(code="T1-01").name == "Pasar sehat"


def test_draft_is_replaced_by_a_new_file():
    first = framework_load(data=SMALL_YAML, source_name="small.yaml")
    changed = small_yaml(("name: Pasar sehat", "name: Pasar sehat sekali"))
    second = framework_load(data=changed, source_name="small.yaml")
    assert (first.outcome, second.outcome) == ("created", "replaced")
    assert second.framework.pk == first.framework.pk
    assert Indicator.objects.get(code="T1-01").name == "Pasar sehat sekali"
    assert Indicator.objects.count() == 2
    assert ScaleOption.objects.count() == 4


def test_same_draft_file_with_publish_publishes_it():
    framework_load(data=SMALL_YAML, source_name="small.yaml")
    result = framework_load(data=SMALL_YAML, source_name="small.yaml", publish=True)
    assert result.outcome == "published"
    assert FrameworkVersion.objects.get(code="uji-kecil").is_published


def test_draft_in_use_by_an_assessment_is_not_replaced(regency):
    framework = framework_load(data=SMALL_YAML, source_name="small.yaml").framework
    make_assessment(cycle=CycleFactory(framework=framework), regency=regency)
    with pytest.raises(FrameworkLoadError, match="assessments have already answered"):
        framework_load(data=small_yaml(("name: Pasar sehat", "name: Lain")), source_name="small.yaml")
    assert Indicator.objects.get(code="T1-01").name == "Pasar sehat"


def test_publish_is_idempotent_and_keeps_the_first_date():
    framework = framework_load(data=SMALL_YAML, source_name="small.yaml").framework
    framework_publish(framework=framework)
    first_date = framework.published_at
    framework_publish(framework=framework)
    framework.refresh_from_db()
    assert framework.is_published
    assert framework.published_at == first_date


def test_invalid_file_leaves_an_existing_draft_untouched():
    framework = framework_load(data=SMALL_YAML, source_name="small.yaml").framework
    before = _snapshot(framework)
    with pytest.raises(FrameworkFileError, match="not one of"):
        framework_load(data=small_yaml(("value: 0\n", "value: 5\n")), source_name="small.yaml")
    assert _snapshot(framework) == before
