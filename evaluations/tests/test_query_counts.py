"""Issue 11: the key pages run a fixed number of queries, whatever the data size and however many earlier
cycles there are. Two sizes (2 and 6 kabupaten/kota) times two history depths (none, two finished cycles),
built by the bench's builder; every page's count is pinned with django_assert_num_queries."""

import re

import pytest
from django.urls import reverse

from evaluations.benchmark.dataset import Builder
from evaluations.benchmark.measure import largest_tatanan

pytestmark = pytest.mark.django_db

# page -> (persona, url name, arguments); the session and the user are two of each page's queries.
PAGES = {
    "assessment page": ("coordinator", "evaluations:assessment-detail", lambda d: [d.assessment.pk]),
    "fill page": (
        "coordinator",
        "evaluations:tatanan-fill",
        lambda d: [d.assessment.pk, largest_tatanan(d).pk],
    ),
    "review queue (kabupaten/kota)": ("reviewer", "evaluations:review-queue", lambda d: []),
    "review queue (province)": ("province_reviewer", "evaluations:review-queue", lambda d: []),
    "province report": ("provincial", "evaluations:province-report", lambda d: [d.province.pk]),
    "national report": ("national", "evaluations:national-report", lambda d: []),
}
QUERIES = {
    # 14, then the award rules, the official-result trend, the OPD assignment and the Data Umum (3)
    "assessment page": 20,
    "fill page": 14,  # 13, then the OPD assignments of the assessment (once per page)
    # the session, the user, their region and tatanan limit; the filter's choices (one read of the waiting rows'
    # regencies and indicators, then regencies, tatanan and OPD kinds by id); the count, the page's ids, its
    # rows and their OPD kinds; the unread notifications
    "review queue (kabupaten/kota)": 13,
    "review queue (province)": 13,
    # 15, the earlier award cycles (Wistara Paripurna), then the fingerprint of the cached rows
    "province report": 17,
    "national report": 15,
}
# The reports again, their rows now cached: the fingerprint instead of regions, tatanan, assessments, the
# indicator counts, the summaries and the official results.
CACHED = {"province report": 11, "national report": 8}
# The fill page's cards come from the cache (evaluations/views/card_cache.py) but are read as before: their
# cache key is a digest of the loaded rows, so the same queries run and the page must come out the same.
CACHED["fill page"] = QUERIES["fill page"]
CACHED["assessment page"] = QUERIES["assessment page"]  # its body likewise
CACHED.update({label: QUERIES[label] for label in QUERIES if label.startswith("review queue")})  # the rows


def _unmasked(page: bytes) -> bytes:
    """The page without its CSRF tokens (masked anew on every request)."""
    return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"', b"", page)


@pytest.mark.parametrize("history", [0, 2], ids=["no history", "two earlier cycles"])
@pytest.mark.parametrize("shape", [(1, 2), (2, 6)], ids=["2 regencies", "6 regencies"])
def test_key_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, shape, history):
    data = Builder(
        use_loaders=False, synthetic_shape=shape, photo_size=(32, 24), earlier_cycles=history, log=lambda m: None
    ).build()
    assert data.counts["cycles"] == 1 + history
    for label, (persona, name, args) in PAGES.items():
        client.force_login(data.personas[persona])
        url = reverse(name, args=args(data))
        with django_assert_num_queries(QUERIES[label]):
            response = client.get(url)
        assert response.status_code == 200, label
        if label in CACHED:
            with django_assert_num_queries(CACHED[label]):
                again = client.get(url)
            assert _unmasked(again.content) == _unmasked(response.content), label
