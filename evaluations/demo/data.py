"""What the demo contains: places, logins, people and how far each regency has got."""

from __future__ import annotations

from dataclasses import dataclass, field

from forums.models import Role

DEMO_PASSWORD = "kks-demo-2025"  # noqa: S105 - a published demo password, refused outside DEBUG
PROVINCE_CODE = "35"
MAIN_REGENCY = "35.71"  # Kota Kediri: bodies down to kelurahan level, most answers filled
REGENCIES = ("35.71", "35.06", "35.77")  # Kota Kediri, Kabupaten Kediri, Kota Madiun
# Share of indicators answered and submitted per regency; Kota Madiun has just started.
FILL_SHARE = {"35.71": 0.7, "35.06": 0.35, "35.77": 0.0}
SUBMIT_COUNT = {"35.71": 12, "35.06": 3, "35.77": 0}
STOP_BABS_SHARE = {"35.71": 1.0, "35.06": 0.93, "35.77": 0.85}

# OPD kinds every regency has in the demo, matched to the framework's kinds by code or name.
BASE_OPD_KINDS = [
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
]
HEALTH_KIND = "dinkes"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    region_code: str
    opd_kind: str = ""
    first_name: str = ""
    last_name: str = ""


LOGINS = [
    DemoLogin("koordinator", Role.FORUM_COORDINATOR, MAIN_REGENCY, "", "Rina", "Kusumawati"),
    DemoLogin("opd_dinkes", Role.OPD_OFFICER, MAIN_REGENCY, HEALTH_KIND, "Agus", "Prasetyo"),
    DemoLogin("reviewer_dinkes", Role.HEALTH_REVIEWER, MAIN_REGENCY, HEALTH_KIND, "Dewi", "Lestari"),
    DemoLogin("pembina_jatim", Role.PROVINCIAL_OFFICIAL, PROVINCE_CODE, "", "Hendra", "Wijaya"),
    DemoLogin("verifikator_pusat", Role.NATIONAL_VERIFIER, "", "", "Sri", "Handayani"),
    DemoLogin("admin", Role.ADMIN, "", "", "Admin", "KKS"),
]

PEOPLE = [
    "Drs. Bambang Sutrisno",
    "Ir. Endang Purwaningsih",
    "dr. Yusuf Hidayat",
    "Siti Nurjanah, S.KM",
    "Hadi Santoso, S.Sos",
    "Lilik Mariyani",
    "Joko Susilo",
    "Wahyu Ningsih",
    "Ahmad Fauzi",
    "Retno Wulandari",
]


class DemoError(Exception):
    """Something the demo needs is missing; the message says what to run first."""


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n
