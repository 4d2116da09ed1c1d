"""manage.py seed_demo: the demo data set for `make run`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluations.demo import DEMO_PASSWORD, LOGINS
from evaluations.models import Assessment, Cycle, Response, ResponseStatus, StatusChange
from forums.models import Body, BodyKind, Membership, Opd, OpdKind, Region, RegionLevel, User

pytestmark = pytest.mark.django_db


def seed(framework, *args):
    out = StringIO()
    call_command("seed_demo", "--framework", framework.code, "--force", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Opd, User, Body, Membership, Cycle, Assessment, Response, StatusChange)
    }


def test_seed_demo_refuses_to_run_without_debug(framework, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--framework", framework.code, stdout=StringIO())
    assert not User.objects.exists()


def test_seed_demo_runs_under_debug_without_force(framework, settings):
    settings.DEBUG = True

    call_command("seed_demo", "--framework", framework.code, stdout=StringIO())

    assert User.objects.filter(username="koordinator").exists()


def test_seed_demo_names_the_missing_framework(db):
    with pytest.raises(CommandError, match="load_framework"):
        call_command("seed_demo", "--force", stdout=StringIO())


def test_seed_demo_builds_the_jawa_timur_demo(framework, client):
    seed(framework)

    assert Region.objects.filter(level=RegionLevel.REGENCY).count() == 514
    users = {u.username: u for u in User.objects.select_related("region", "opd").prefetch_related("opd__kinds")}
    assert set(users) == {login.username for login in LOGINS}
    assert users["koordinator"].region.code == "35.71"
    assert users["pembina_jatim"].region.code == "35"
    assert [kind.code for kind in users["opd_dinkes"].opd.kinds.all()] == ["dinkes"]
    assert users["admin"].is_superuser
    assert client.login(username="opd_dinkes", password=DEMO_PASSWORD)

    kediri_opds = Opd.objects.filter(regency__code="35.71")
    assert kediri_opds.filter(name="Dinas Kesehatan Kota Kediri").exists()
    assert kediri_opds.count() >= 5
    kinds = set(Body.objects.values_list("kind", flat=True))
    assert kinds == set(BodyKind.values)
    forum = Body.objects.get(kind=BodyKind.FORUM, scope_region__code="35.71")
    assert forum.sk_file
    assert forum.sk_file_type == "application/pdf"
    assert forum.memberships.filter(user=users["koordinator"]).exists()
    assert forum.memberships.filter(role="koordinator_tatanan").count() == min(3, framework.tatanan.count())

    cycle = Cycle.objects.get()
    assert cycle.framework == framework
    assert cycle.self_assessment_opens < cycle.created_at < cycle.self_assessment_closes
    indicators = framework.indicators.count()
    for assessment in Assessment.objects.all():
        assert assessment.responses.count() == indicators
    kediri = Assessment.objects.get(regency__code="35.71")
    assert (kediri.odf_kecamatan_count, kediri.odf_village_count, kediri.odf_stop_babs_count) == (3, 46, 46)
    filled = kediri.responses.exclude(value=None)
    assert filled.exists()
    assert all(r.value in r.indicator.allowed_values() for r in filled.select_related("indicator"))
    submitted = Response.objects.filter(status=ResponseStatus.SUBMITTED)
    assert submitted.exists()
    assert StatusChange.objects.count() == submitted.count()
    assert not Assessment.objects.get(regency__code="35.77").responses.exclude(value=None).exists()


def test_seed_demo_rerun_changes_nothing(framework):
    seed(framework)
    before = snapshot()
    Response.objects.filter(status=ResponseStatus.DRAFT).update(achievement="diubah pengguna")

    output = seed(framework)

    assert snapshot() == before
    assert "tidak ada yang baru" in output
    assert Response.objects.filter(achievement="diubah pengguna").exists()


def test_seed_demo_prints_the_logins(framework):
    output = seed(framework, "--print-logins")

    for login in LOGINS:
        assert login.username in output
    assert DEMO_PASSWORD in output
    assert "Kota Kediri" in output


def test_seed_demo_on_the_shipped_framework_gives_each_regency_an_opd_per_responsible_kind(settings):
    path = settings.BASE_DIR / "tatanan" / "data" / "kks-2025-r2.yaml"
    call_command("load_framework", str(path), "--publish", stdout=StringIO())
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    responsible = OpdKind.objects.filter(indicators__framework__code="kks-2025-r2").distinct()
    for code in ("35.71", "35.06", "35.77"):
        assert set(responsible) <= {k for o in Opd.objects.filter(regency__code=code) for k in o.kinds.all()}
    opd_dinkes = User.objects.select_related("opd").get(username="opd_dinkes")
    assert opd_dinkes.opd.kinds.get().indicators.filter(framework__code="kks-2025-r2").exists()
    kediri = Assessment.objects.get(regency__code="35.71")
    assert kediri.responses.count() == 152
