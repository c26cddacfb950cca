"""What a station is, and which kinds of station each problem needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

from bot import hotlines

KINDS = (
    "劳动关系公共服务站",
    "劳动争议调解中心",
    "劳动人事争议仲裁院",
    "工会服务站",
    "法律援助中心",
    "人社局/劳动保障监察",
    "社保经办机构",
    # Parties a case may be referred to (contract §6 `to`), as in the seeds' 五方联动 and its
    # extension to 信访 and 税务.
    "人民法院",
    "人民检察院",
    "信访部门",
    "税务部门",
    # Job help: a station of another kind that lists 就业帮扶 among its services counts too.
    "就业帮扶",
)
JOB_HELP = "就业帮扶"
HOTLINE = {
    "工会服务站": hotlines.UNION,
    JOB_HELP: hotlines.UNION,
    "人民法院": hotlines.COURT,
    "人民检察院": hotlines.PROCURATORATE,
    "信访部门": hotlines.CITIZEN,
    "税务部门": hotlines.TAX,
}
# every other kind: 人社
DEFAULT_HOTLINE = hotlines.RENSHE

# Where each problem is handled. Pension benefits are decided by the social-insurance agency
# (then administrative review), not by mediation or arbitration; 工伤认定 by the 人社 department.
KINDS_FOR = {
    "pension_adjustment": ("社保经办机构",),
    "social_insurance": ("社保经办机构", "人社局/劳动保障监察", "劳动争议调解中心", "劳动关系公共服务站"),
    "wage_arrears": ("人社局/劳动保障监察", "劳动争议调解中心", "劳动关系公共服务站", "工会服务站", "法律援助中心"),
    "work_injury": ("人社局/劳动保障监察",),
    "dismissal": ("劳动争议调解中心", "劳动关系公共服务站", "劳动人事争议仲裁院", "工会服务站", "法律援助中心"),
    "labor_contract": ("劳动争议调解中心", "劳动关系公共服务站", "劳动人事争议仲裁院", "工会服务站", "法律援助中心"),
    "overtime": ("劳动争议调解中心", "劳动关系公共服务站", "劳动人事争议仲裁院", "工会服务站", "人社局/劳动保障监察"),
    "platform_work": ("劳动争议调解中心", "劳动关系公共服务站", "工会服务站", "法律援助中心", "劳动人事争议仲裁院"),
}
# Where each referral target of contract §6 lands: a station of these kinds, or one listing it as a
# service (a union station that gives 法律援助 takes a legal-aid referral where no centre is listed).
REFERRAL_KINDS: Dict[str, Tuple[str, ...]] = {
    "union": ("工会服务站",),
    "court": ("人民法院",),
    "procuratorate": ("人民检察院",),
    "labour_inspection": ("人社局/劳动保障监察",),
    "arbitration": ("劳动人事争议仲裁院",),
    "legal_aid": ("法律援助中心", "法律援助"),
    "petition": ("信访部门",),
    "tax": ("税务部门",),
}


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    kind: str
    address: str
    district_code: str
    latitude: float
    longitude: float
    phone: str = ""
    hours: str = ""
    services: Tuple[str, ...] = field(default_factory=tuple)
    demo: bool = False

    @property
    def phone_or_hotline(self) -> str:
        return self.phone or HOTLINE.get(self.kind, DEFAULT_HOTLINE)

    def as_dict(self) -> Dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "address": self.address,
            "district_code": self.district_code,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "phone": self.phone_or_hotline,
            "hours": self.hours,
            "services": list(self.services),
        }


def kinds_for(topic: Optional[str]) -> Optional[Tuple[str, ...]]:
    """The kinds that handle a topic, or None for any kind."""
    return KINDS_FOR.get(topic or "")


# What the worker asked for in words outranks the topic: "最近的调解的地方" wants mediation.
ASKED_FOR = (
    ("找工作", (JOB_HELP,)),
    ("新工作", (JOB_HELP,)),
    ("找活", (JOB_HELP,)),
    ("招工", (JOB_HELP,)),
    ("招聘", (JOB_HELP,)),
    ("就业", (JOB_HELP,)),
    ("调解", ("劳动争议调解中心", "劳动关系公共服务站", "工会服务站")),
    ("仲裁", ("劳动人事争议仲裁院",)),
    ("法律援助", ("法律援助中心", "工会服务站")),
    ("工会", ("工会服务站",)),
    ("社保", ("社保经办机构",)),
    ("监察", ("人社局/劳动保障监察",)),
    ("投诉", ("人社局/劳动保障监察",)),
)


def kinds_asked(text: str) -> Optional[Tuple[str, ...]]:
    for word, kinds in ASKED_FOR:
        if word in (text or ""):
            return kinds
    return None
