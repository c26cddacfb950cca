"""The legal clocks that run on a case, by category and status, with the days left (the worker's /follow).

Only clocks that really run are given, each with its article:
- mediation: when a mediation organisation has had the case 15 days without an agreement, the
  worker may apply for arbitration (劳动争议调解仲裁法 §14 ¶3), counted from when mediation began;
- the award: 45 days from the arbitration committee taking the case, at most 15 more if extended
  (同法 §43), counted from the referral to arbitration;
- the one-year limitation (同法 §27): a request to a station for help interrupts it and it runs
  again from then (§27 ¶2), so it is counted from the case's registration. It runs for labour
  disputes and wages (for wages only once the job has ended, §27 ¶4), never for a pension decision
  (social-insurance agency, 社会保险法 §83) nor an injury's 工伤认定 (工伤保险条例 §17 has its own
  clock from the accident, which the case does not know). It stops mattering once an agreement
  is reached or the route ended.

Plain Python, no database: `clocks_for` takes the case's status history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.cases.wording import INJURY, PENSION, WAGES, route

CHINA = timezone(timedelta(hours=8))
MEDIATION_DAYS = 15
AWARD_DAYS, AWARD_EXTENSION_DAYS = 45, 15
LIMITATION_DAYS = 365

CITATIONS = (("劳动争议调解仲裁法", 14), ("劳动争议调解仲裁法", 27), ("劳动争议调解仲裁法", 43))

# Statuses where no clock of the station's route runs any more.
_ENDED = frozenset({"closed", "withdrawn"})
# Routes where the labour-arbitration clocks never apply.
_NO_ARBITRATION = frozenset({PENSION, INJURY})


@dataclass(frozen=True)
class Clock:
    kind: str  # "mediation", "award", "limitation"
    title: str
    start: date
    deadline: date
    days_left: int
    text: str

    def as_dict(self) -> Dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "text": self.text,
        }


def china_day(moment: Any) -> date:
    """The China calendar day of an ISO string or a datetime (naive: UTC)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return aware.astimezone(CHINA).date()
    return moment


def _last_entry(history: Iterable[Tuple[date, str]], status: str) -> Optional[date]:
    days = [day for day, to in history if to == status]
    return days[-1] if days else None


def clocks_for(
    category: Optional[str],
    status: str,
    history: Iterable[Tuple[Any, str]],
    today: date,
    referred_to: Optional[str] = None,
) -> List[Clock]:
    """The clocks that run now. `history`: (when, status moved to) oldest first, the first being
    the registration; `today`: the China calendar day to count from."""
    steps = [(china_day(at), to) for at, to in history]
    way = route(category)
    if status in _ENDED or way in _NO_ARBITRATION or not steps:
        return []
    out: List[Clock] = []
    if status == "mediating":
        began = _last_entry(steps, "mediating") or steps[-1][0]
        end = began + timedelta(days=MEDIATION_DAYS)
        left = (end - today).days
        out.append(
            Clock(
                "mediation",
                "调解期限",
                began,
                end,
                left,
                (f"调解从{began:%Y-%m-%d}开始，还剩{left}天；" if left > 0 else "调解已满15天没有达成协议，")
                + "15天内没达成协议的，可以直接申请劳动仲裁（《劳动争议调解仲裁法》第十四条）。",
            )
        )
    if status == "referred" and referred_to == "arbitration":
        began = _last_entry(steps, "referred") or steps[-1][0]
        end = began + timedelta(days=AWARD_DAYS)
        latest = end + timedelta(days=AWARD_EXTENSION_DAYS)
        left = (end - today).days
        out.append(
            Clock(
                "award",
                "仲裁裁决期限",
                began,
                end,
                left,
                f"仲裁委应在受理之日起45天内作出裁决，案情复杂的最多再延长15天（到{latest:%Y-%m-%d}）；"
                "到期没有裁决的，可以向法院起诉（《劳动争议调解仲裁法》第四十三条）。"
                + (f"按转交日{began:%Y-%m-%d}算，还剩{left}天。" if left > 0 else "按转交日算已经到期。"),
            )
        )
    if status != "agreement" and not (status == "referred" and referred_to == "arbitration"):
        began = steps[0][0]
        end = began + timedelta(days=LIMITATION_DAYS)
        left = (end - today).days
        job = "还在职的，追讨欠薪不受这一年限制；已经离职的，" if way == WAGES else ""
        out.append(
            Clock(
                "limitation",
                "申请仲裁的时效",
                began,
                end,
                left,
                f"{job}申请仲裁的时效是一年；您{began:%Y-%m-%d}向服务站求助，时效从那天起重新计算，"
                f"到{end:%Y-%m-%d}，还剩{max(left, 0)}天（《劳动争议调解仲裁法》第二十七条）。",
            )
        )
    return out


def clocks_of_case(case: Dict[str, Any], now: datetime) -> List[Dict[str, Any]]:
    """The clocks of a case as CaseService returns it (its `timeline` and `referred_to`)."""
    history = [(step["at"], step["status"]) for step in case.get("timeline") or [] if step.get("at")]
    # A confirmation of an instalment repeats the status: only real moves start a clock.
    moves: List[Tuple[Any, str]] = []
    for at, to in history:
        if not moves or moves[-1][1] != to:
            moves.append((at, to))
    found = clocks_for(case.get("category"), case.get("status", ""), moves, china_day(now), case.get("referred_to"))
    return [c.as_dict() for c in found]
