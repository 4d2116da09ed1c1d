from django.test import override_settings

from evaluations.checks import report_time_limits

REDIS = "redis://127.0.0.1:6379/0"


def test_default_settings_pass():
    assert report_time_limits() == []


@override_settings(KKS_REPORT_SOFT_TIME_LIMIT=600, KKS_REPORT_HARD_TIME_LIMIT=600)
def test_soft_limit_must_be_below_hard_limit():
    assert [e.id for e in report_time_limits()] == ["kks.E001"]


@override_settings(CELERY_BROKER_URL=REDIS, CELERY_BROKER_TRANSPORT_OPTIONS={"visibility_timeout": 600})
def test_visibility_timeout_must_exceed_hard_limit_on_redis():
    assert [e.id for e in report_time_limits()] == ["kks.E002"]


@override_settings(CELERY_BROKER_URL=REDIS, CELERY_BROKER_TRANSPORT_OPTIONS={})
def test_redis_default_visibility_of_one_hour_is_enough():
    assert report_time_limits() == []


@override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS={"visibility_timeout": 1})
def test_folder_broker_is_not_checked():
    assert report_time_limits() == []
