"""`manage.py bench`: its refusal on SQLite, and its builder and page timer on a tiny data set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaluations.benchmark.dataset import SHAPE, Builder
from evaluations.benchmark.measure import PAGES, measure_pages, table
from evaluations.models import Assessment, EvidenceVersion, Response, StatusChange
from forums.models import Opd

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_bench_refuses_sqlite_with_a_clear_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="kks.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--quick"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "measures PostgreSQL" in result.stderr
    assert "DATABASE_URL=postgres://" in result.stderr


@pytest.fixture
def tiny(db, settings):
    settings.ROOT_URLCONF = "evaluations.benchmark.urls"
    return Builder(use_loaders=False, synthetic_shape=(2, 6), photo_size=(64, 48), log=lambda message: None).build()


def test_builder_answers_every_indicator_of_every_regency(tiny):
    indicators = sum(SHAPE) + 16
    assert tiny.counts["indicators"] == indicators
    assert tiny.counts["regencies"] == 6
    assert Assessment.objects.count() == 6
    assert Response.objects.count() == 6 * indicators
    assert StatusChange.objects.count() > Response.objects.count()  # a mid-cycle history
    assert Response.objects.filter(status="submitted", stage="kabupaten").exists()
    assert Response.objects.filter(stage="pusat").exists()
    assert EvidenceVersion.objects.filter(evidence__response__assessment=tiny.assessment).count() > 50
    with_value = Response.objects.exclude(value=None)
    assert not with_value.filter(evidence=None).exists()  # every answered indicator has evidence
    assert Opd.objects.exists()
    assert not Opd.objects.filter(kinds=None).exists()  # every OPD holds its kind


def test_page_timer_measures_the_bare_view_and_every_key_page(tiny):
    rows = measure_pages(tiny, requests=2, budget_s=5, log=lambda message: None)
    assert [row.what for row in rows] == [page.label for page in PAGES]
    bare = rows[0]
    assert bare.queries == 2  # session and user
    assert bare.median_ms > 0
    assert bare.ratio == 1.0
    measured = [row for row in rows if row.median_ms is not None]
    assert len(measured) >= 3
    assert all(row.queries > 0 for row in measured)
    rendered = table(rows)
    assert rendered.count("\n") == len(rows) + 1
    assert "| bare view (HttpResponse, login required) |" in rendered
