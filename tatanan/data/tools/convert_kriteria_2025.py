"""Build ``tatanan/data/kks-2025.yaml`` from the 2025 instrument as converted to JSON.

Superseded: ``convert_workbook.py`` reads the workbook itself and writes ``kks-2025-r2.yaml``, the
file to use. This script and its output are kept because deployments loaded ``kks-2025``.

Usage (from the repository root)::

    python tatanan/data/tools/convert_kriteria_2025.py kriteria_2025_with_scale.json > tatanan/data/kks-2025.yaml

Input: ``kriteria_2025_with_scale.json`` from the public repository ``aliefneutron/sipantas-sumenep``
(commit 124936130acd1facb5d844ff6ba9ff7cab1be05c), a JSON export of the nine tatanan sheets of the
Kemenkes workbook "Instrumen KKS 2025.xlsx": per sheet a list of indicators with ``no``, ``name``,
``definisiOperasional``, ``sumberData``, ``buktiDukung`` and ``skala`` (``nilai`` + ``deskripsi``).
The export lost the tatanan names (every sheet says "INDIKATOR"), so the names below come from the
research notes (shared/research/domain.md section 0), matched by sheet order and checked against the
sheet names and indicator counts.

What the script adds:

- codes ``T<tatanan>-<NN>`` from the sheet order and the row number;
- responsible OPD kinds, found by keywords in the SUMBER DATA text (``OPD_RULES``); the original
  text is kept as ``data_source``;
- the 16 kelembagaan indicators, which are not in the JSON. Their wording is a paraphrase of the
  research summary of the workbook's "Kelembagaan" sheet (domain.md section 2.2), not the sheet's
  own text;
- whitespace clean-up (runs of blanks and line breaks become one space; a stray backslash is dropped).

The committed YAML is the artefact; this script documents how it was made and lets it be redone.
It needs only PyYAML, not Django.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import yaml

SOURCE_COMMIT = "124936130acd1facb5d844ff6ba9ff7cab1be05c"

# (number, name, sheet name prefix, expected indicator count)
TATANAN = [
    (1, "Kehidupan Masyarakat Sehat Mandiri", "Tatanan 1 ", 29),
    (2, "Permukiman dan Fasilitas Umum", "Tatanan 2 ", 22),
    (3, "Satuan Pendidikan", "Tatanan 3 ", 11),
    (4, "Pasar", "Tatanan 4 ", 13),
    (5, "Perkantoran dan Perindustrian", "Tatanan 5 ", 11),
    (6, "Pariwisata", "Tatanan 6 ", 12),
    (7, "Transportasi dan Tertib Lalu Lintas Jalan", "Tatanan 7 ", 11),
    (8, "Perlindungan Sosial", "Tatanan 8 ", 13),
    (9, "Penanggulangan Bencana", "Tatanan 9 ", 14),
]

OPD_KINDS = [
    ("bag_hukum", "Bagian Hukum Sekretariat Daerah"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah"),
    ("bps", "Badan Pusat Statistik Kabupaten/Kota"),
    ("damkar", "Dinas Pemadam Kebakaran dan Penyelamatan"),
    ("dinkes", "Dinas Kesehatan"),
    ("dinkop_umkm", "Dinas Koperasi dan Usaha Mikro"),
    ("dinsos", "Dinas Sosial"),
    ("disdik", "Dinas Pendidikan"),
    ("dishub", "Dinas Perhubungan"),
    ("disnaker", "Dinas Tenaga Kerja"),
    ("dispar", "Dinas Pariwisata"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan"),
    ("dlh", "Dinas Lingkungan Hidup"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("ketahanan_pangan", "Dinas Ketahanan Pangan"),
    ("kominfo", "Dinas Komunikasi dan Informatika"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
]

# SUMBER DATA keyword (regular expression, matched case-insensitively) -> OPD kind code.
# National applications run by the health ministry (ASIK, SITB, Sigizi, ...) mean Dinas Kesehatan.
OPD_RULES = [
    (
        r"kesehatan|sigizi|\bsitb\b|\basik\b|e-sismal|\bsinaf\b|\bsirs\b|sikelim|simkeswa|silantor|promkes|e-satu|komdat",
        "dinkes",
    ),
    (r"lingkungan hidup|sipsn", "dlh"),
    (r"\bpupr\b|sicalmers|simspam", "pupr"),
    (r"perhubungan", "dishub"),
    (r"pendidikan", "disdik"),
    (r"perencanaan daerah|bappeda|\bsipd\b", "bappeda"),
    (r"kebencanaan", "bpbd"),
    (r"kebakaran", "damkar"),
    (r"sosial", "dinsos"),
    (r"perempuan dan anak|\bpppa\b", "dp3a"),
    (r"pasar|perindustrian|siinas", "disperindag"),
    (r"ketenagakerjaan", "disnaker"),
    (r"pariwisata|pariwsata", "dispar"),
    (r"komunikasi & informasi", "kominfo"),
    (r"\bbps\b", "bps"),
    (r"hukum", "bag_hukum"),
    (r"penanaman modal|perizinan", "dpmptsp"),
    (r"ketahanan pangan", "ketahanan_pangan"),
    (r"kependudukan", "dukcapil"),
    (r"umkm", "dinkop_umkm"),
]

BODIES = [
    ("tim_pembina", "Tim Pembina KKS Kabupaten/Kota", "Bupati/Wali Kota", ""),
    ("forum", "Forum Kabupaten/Kota Sehat", "Bupati/Wali Kota", ""),
    (
        "fkk",
        "Forum Komunikasi Kecamatan (FKK)",
        "Camat",
        " Jumlah SK harus sama dengan jumlah kecamatan yang diusulkan.",
    ),
    (
        "pokja",
        "Pokja Desa/Kelurahan Sehat",
        "Kepala Desa/Lurah",
        " Jumlah SK harus sama dengan jumlah desa/kelurahan yang diusulkan.",
    ),
]


def clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\\ ", " ")).strip()


def opd_kinds_for(data_source: str) -> list[str]:
    """OPD kind codes named by the SUMBER DATA text, in the order the text names them."""
    low = data_source.lower()
    found = []
    for pattern, code in OPD_RULES:
        match = re.search(pattern, low)
        if match:
            found.append((match.start(), code))
    return list(dict.fromkeys(code for _pos, code in sorted(found)))


def kelembagaan_items(body_name: str, signer: str, sk_note: str):
    """The four 2025 kelembagaan items of one body (paraphrased from the research summary)."""
    return [
        (
            f"Surat Keputusan (SK) {body_name}",
            f"SK pembentukan {body_name} ditandatangani oleh {signer}, masih berlaku sampai dengan tahun 2024 "
            "dan diterbitkan kurang dari 10 tahun yang lalu. SK yang bukan khusus KKS dapat dihitung bila "
            f"menyebut KKS.{sk_note}",
            f"Salinan SK {body_name} yang telah ditandatangani.",
            [
                (100, "Ada SK yang ditandatangani, masih berlaku dan memenuhi ketentuan"),
                (0, "Tidak ada SK atau SK tidak memenuhi ketentuan"),
            ],
        ),
        (
            f"Rencana kerja {body_name}",
            f"Rencana kerja {body_name} yang memuat target, untuk tahun 2023 dan 2024.",
            "Dokumen rencana kerja tahun 2023 dan 2024.",
            [
                (100, "Ada rencana kerja 2 tahun (2023 dan 2024) yang memuat target"),
                (50, "Ada rencana kerja untuk 1 tahun"),
                (0, "Tidak ada rencana kerja"),
            ],
        ),
        (
            f"Anggaran {body_name}",
            f"Anggaran untuk kegiatan {body_name} pada tahun 2023 dan 2024.",
            "Dokumen anggaran tahun 2023 dan 2024.",
            [
                (100, "Ada anggaran untuk 2 tahun (2023 dan 2024)"),
                (50, "Ada anggaran untuk 1 tahun"),
                (0, "Tidak ada anggaran"),
            ],
        ),
        (
            f"Sekretariat {body_name}",
            f"{body_name} memiliki sekretariat yang dapat ditemukan: alamat, foto, dan titik koordinat "
            "dengan cap waktu.",
            "Foto sekretariat dengan alamat dan titik koordinat yang memuat cap waktu.",
            [
                (100, "Ada sekretariat (foto, alamat, dan titik koordinat dengan cap waktu)"),
                (0, "Tidak ada sekretariat"),
            ],
        ),
    ]


def build(source: list[dict]) -> dict:
    if len(source) != len(TATANAN):
        raise SystemExit(f"expected {len(TATANAN)} sheets, found {len(source)}")
    indicators = []
    for (number, _name, sheet_prefix, expected), sheet in zip(TATANAN, source, strict=True):
        if not sheet["sheet"].startswith(sheet_prefix):
            raise SystemExit(f"sheet {sheet['sheet']!r} is not tatanan {number}")
        rows = sheet["indicators"]
        if len(rows) != expected:
            raise SystemExit(f"tatanan {number}: expected {expected} indicators, found {len(rows)}")
        for position, row in enumerate(rows, start=1):
            if row["no"] != position:
                raise SystemExit(f"tatanan {number}: row {position} has NO {row['no']}")
            data_source = clean(row.get("sumberData"))
            kinds = opd_kinds_for(data_source)
            if not kinds:
                raise SystemExit(f"T{number}-{position:02d}: no OPD kind found in {data_source!r}")
            indicators.append(
                {
                    "code": f"T{number}-{position:02d}",
                    "tatanan": number,
                    "number": position,
                    "name": clean(row["name"]),
                    "operational_definition": clean(row.get("definisiOperasional")),
                    "data_source": data_source,
                    "required_evidence": clean(row.get("buktiDukung")),
                    "responsible_opd_kinds": kinds,
                    "scale": [{"value": int(o["nilai"]), "description": clean(o["deskripsi"])} for o in row["skala"]],
                }
            )
    number = 0
    for body_kind, body_name, signer, sk_note in BODIES:
        for name, definition, evidence, scale in kelembagaan_items(body_name, signer, sk_note):
            number += 1
            indicators.append(
                {
                    "code": f"K-{number:02d}",
                    "kind": "kelembagaan",
                    "body_kind": body_kind,
                    "number": number,
                    "name": name,
                    "operational_definition": definition,
                    "required_evidence": evidence,
                    "scale": [{"value": v, "description": d} for v, d in scale],
                }
            )
    return {
        "code": "kks-2025",
        "name": "Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025",
        "year": 2025,
        "description": (
            "Sembilan tatanan dengan 136 indikator tatanan dan 16 indikator kelembagaan. Nilai tatanan adalah "
            "rata-rata nilai indikatornya (jumlah nilai dibagi jumlah indikator x 100)."
        ),
        "source": (
            "Indikator tatanan: Kemenkes, Instrumen Penilaian Kabupaten/Kota Sehat (KKS) Tahun 2025 (xlsx), "
            "melalui konversi JSON kriteria_2025_with_scale.json di repositori publik aliefneutron/sipantas-sumenep "
            f"(commit {SOURCE_COMMIT}). Nama tatanan dan indikator kelembagaan disusun dari catatan riset "
            "(shared/research/domain.md bagian 0 dan 2.2); teks kelembagaan adalah parafrase, bukan kutipan. "
            "Jenis OPD penanggung jawab diturunkan dari kolom SUMBER DATA."
        ),
        "opd_kinds": [{"code": c, "name": n} for c, n in OPD_KINDS],
        "tatanan": [{"number": n, "name": name} for n, name, _p, _c in TATANAN],
        "indicators": indicators,
    }


HEADER = f"""\
# KKS framework: Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025.
# Format: docs/framework-format.md. Load with:
#   manage.py load_framework tatanan/data/kks-2025.yaml --publish
#
# source: Kemenkes "Instrumen Penilaian KKS Tahun 2025" (xlsx), 136 tatanan indicators taken from its
#   JSON export kriteria_2025_with_scale.json in the public repository aliefneutron/sipantas-sumenep
#   (commit {SOURCE_COMMIT}); text kept as published (typos included), whitespace normalised.
# Added here (not in that file): tatanan names (domain research, section 0), indicator codes,
#   responsible OPD kinds (derived from SUMBER DATA by keyword), and the 16 kelembagaan indicators,
#   whose wording paraphrases the research summary of the workbook's Kelembagaan sheet.
# Generated by tatanan/data/tools/convert_kriteria_2025.py; regenerate rather than edit by hand.
"""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="path of kriteria_2025_with_scale.json")
    args = parser.parse_args(argv)
    with open(args.source, encoding="utf-8") as fh:
        data = build(json.load(fh))
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    sys.stdout.write(HEADER + body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
