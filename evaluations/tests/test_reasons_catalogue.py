"""The revision-reason catalogue is reference data: it must survive what transactional tests do (a flush)."""

import pytest
from django.core.management import call_command

from evaluations.models import RevisionReason
from evaluations.reasons import REASONS


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_is_back_after_a_flush():
    # A transactional test's teardown flushes every table; the next test used to find no reasons at all.
    call_command("flush", interactive=False, verbosity=0)
    assert set(RevisionReason.objects.values_list("code", flat=True)) == {code for code, _label in REASONS}


@pytest.mark.django_db
def test_seeding_again_keeps_what_an_admin_changed():
    RevisionReason.objects.filter(code="lainnya").update(label="Alasan lain", active=False)
    call_command("migrate", verbosity=0)
    kept = RevisionReason.objects.get(code="lainnya")
    assert (kept.label, kept.active) == ("Alasan lain", False)
    assert RevisionReason.objects.count() == len(REASONS)
