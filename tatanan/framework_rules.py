"""Validation of a kelembagaan indicator's ``rules`` (docs/framework-format.md, "Kelembagaan rules").

The rules carry what the workbook's Kelembagaan sheet states beside the scale (a draft SK scores 0,
one document per proposed kecamatan or desa/kelurahan, the data years, target capaian, ...), so that
the assessment side can apply them. Only the framework file and its validation live here.
"""

from __future__ import annotations

from .framework_spec import Path

RULE_DOCUMENTS = ("sk", "rencana_kerja", "anggaran", "sekretariat")
RULE_COUNT_PER = ("kecamatan", "desa_kelurahan")
RULE_FIELDS = {
    "document",
    "signed_by",
    "draft_scores",
    "max_age_years",
    "valid_through_year",
    "data_years",
    "targets_required",
    "count_per",
    "short_count_scores",
    "photo_timestamp_required",
}


def validate_rules(item, v, path: Path, kind, scale_values: set[int]) -> dict:
    """The optional kelembagaan ``rules`` mapping, checked field by field."""
    if item.get("rules") is None:
        return {}
    where: Path = (*path, "rules")
    if kind != "kelembagaan":
        v.error(where, "only kelembagaan indicators carry rules")
        return {}
    raw = v.mapping(item["rules"], where, RULE_FIELDS)
    if raw is None:
        return {}
    out: dict = {}
    document = v.text(raw, "document", where, required=True, max_length=20)
    if document and document not in RULE_DOCUMENTS:
        v.error((*where, "document"), f"'{document}' is not one of {', '.join(RULE_DOCUMENTS)}")
    elif document:
        out["document"] = document
    if "signed_by" in raw:
        signer = v.text(raw, "signed_by", where, required=True, max_length=100)
        if signer:
            out["signed_by"] = signer
    for key in ("draft_scores", "short_count_scores"):
        if key in raw:
            value = v.integer(raw, key, where, required=True, low=0, high=100)
            if value is not None and value not in scale_values:
                v.error((*where, key), f"{value} is not a value of this indicator's scale")
            elif value is not None:
                out[key] = value
    for key, low, high in (("max_age_years", 1, 100), ("valid_through_year", 2000, 2100)):
        if key in raw:
            value = v.integer(raw, key, where, required=True, low=low, high=high)
            if value is not None:
                out[key] = value
    if "data_years" in raw:
        years = v.sequence(raw, "data_years", where, required=True) or []
        good = [y for y in years if isinstance(y, int) and not isinstance(y, bool) and 2000 <= y <= 2100]
        if not years or len(good) != len(years) or len(set(good)) != len(good):
            v.error((*where, "data_years"), "must be a list of distinct years (2000-2100)")
        else:
            out["data_years"] = sorted(good)
    for key in ("targets_required", "photo_timestamp_required"):
        if key in raw:
            if not isinstance(raw[key], bool):
                v.error((*where, key), f"must be true or false, not {type(raw[key]).__name__}")
            else:
                out[key] = raw[key]
    if "count_per" in raw:
        count_per = v.text(raw, "count_per", where, required=True, max_length=20)
        if count_per and count_per not in RULE_COUNT_PER:
            v.error((*where, "count_per"), f"'{count_per}' is not one of {', '.join(RULE_COUNT_PER)}")
        elif count_per:
            out["count_per"] = count_per
    if "short_count_scores" in raw and "count_per" not in raw:
        v.error((*where, "short_count_scores"), "needs 'count_per' (what the documents are counted against)")
    return out
