import datetime

import factory
from django.utils import timezone

from evaluations.models import Assessment, Cycle, Response
from forums.tests.factories import RegencyFactory
from tatanan.tests.factories import FrameworkFactory


def _now():
    return timezone.now()


class CycleFactory(factory.django.DjangoModelFactory):
    """An opened cycle whose every window is open now (tests close them explicitly)."""

    class Meta:
        model = Cycle

    name = factory.Sequence(lambda n: f"Siklus Uji {n}")
    year = 2025
    data_year_previous = factory.LazyAttribute(lambda c: c.year - 2)
    data_year = factory.LazyAttribute(lambda c: c.year - 1)
    framework = factory.SubFactory(FrameworkFactory)
    self_assessment_opens = factory.LazyFunction(lambda: _now() - datetime.timedelta(days=30))
    self_assessment_closes = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=30))
    provincial_opens = factory.LazyFunction(lambda: _now() - datetime.timedelta(days=30))
    provincial_closes = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=60))
    national_opens = factory.LazyFunction(lambda: _now() - datetime.timedelta(days=30))
    national_closes = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=90))
    opened_at = factory.LazyFunction(_now)  # in use; a draft cycle passes opened_at=None


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    cycle = factory.SubFactory(CycleFactory)
    regency = factory.SubFactory(RegencyFactory)
    odf_kecamatan_count = 5
    odf_village_count = 50
    odf_stop_babs_count = 50


def make_assessment(*, cycle=None, regency=None, **kwargs):
    """An assessment with one draft response per indicator of its framework."""
    assessment = AssessmentFactory(
        **({"cycle": cycle} if cycle else {}), **({"regency": regency} if regency else {}), **kwargs
    )
    Response.objects.bulk_create(
        Response(assessment=assessment, indicator=ind) for ind in assessment.cycle.framework.indicators.all()
    )
    return assessment
