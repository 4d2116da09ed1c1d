"""Bodies, seats and OPD names: free text limited in the form and in the services (issue 12)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forums.models import Body, BodyKind, Opd
from forums.services.bodies import body_create, body_update, membership_add
from forums.services.opds import opd_create
from kks import textlimits

pytestmark = pytest.mark.django_db

HUGE = "x" * 600_000


def test_the_body_services_refuse_over_long_texts(coordinator, regency, forum):
    with pytest.raises(ValidationError) as error:
        body_create(actor=coordinator, kind=BodyKind.TIM_PEMBINA, region=regency, name="Tim", work_plan=HUGE)
    assert "work_plan" in error.value.message_dict
    assert not Body.objects.filter(name="Tim").exists()
    with pytest.raises(ValidationError) as error:
        body_update(body=forum, actor=coordinator, secretariat_address="a" * (textlimits.ADDRESS + 1))
    assert "secretariat_address" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        body_update(body=forum, actor=coordinator, name="n" * 201)
    assert "name" in error.value.message_dict


def test_the_seat_and_opd_services_refuse_over_long_names(coordinator, forum, regency, opd_kind):
    with pytest.raises(ValidationError) as error:
        membership_add(body=forum, actor=coordinator, person_name="p" * 161, position="Ketua")
    assert "person_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        opd_create(regency=regency, actor=coordinator, name="o" * 201, kinds=[opd_kind])
    assert "name" in error.value.message_dict
    assert not Opd.objects.filter(name__startswith="ooo").exists()


def test_the_body_form_shows_the_limit_error_on_the_field_and_renders_maxlength(client, coordinator, forum):
    client.force_login(coordinator)
    data = {"kind": forum.kind, "name": forum.name, "region": forum.region_id, "work_plan": "w" * 10_001}
    page = client.post(reverse("forums:body-edit", args=[forum.pk]), data)
    assert page.status_code == 200
    assert page.context["form"].errors["work_plan"]
    assert f'maxlength="{textlimits.WORK_PLAN}"' in page.content.decode()
    forum.refresh_from_db()
    assert forum.work_plan == ""
