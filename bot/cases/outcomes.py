"""How a case moves after the draft (contract §6), by category, and what an agreement promises.

Pure rules, no database: the case service asks `check_move` before it writes anything, and the
follow-up scheduler asks `followups_for` what to send and when. The seeds' story is the model:
mediation fails, the case is referred (to the procuratorate, say), an agreement is paid in
instalments, a return visit (回访) checks each one, and the case closes when the money arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Dict, FrozenSet, Iterable, List, Optional

STATUSES = ("draft", "accepted", "mediating", "agreement", "mediation_failed", "referred", "withdrawn", "closed")
REFERRAL_TARGETS = (
    "union",
    "court",
    "procuratorate",
    "labour_inspection",
    "arbitration",
    "legal_aid",
    "petition",
    "tax",
)

_MOVES: Dict[str, FrozenSet[str]] = {
    "draft": frozenset({"accepted", "referred", "withdrawn", "closed"}),
    "accepted": frozenset({"mediating", "referred", "withdrawn", "closed"}),
    "mediating": frozenset({"agreement", "mediation_failed", "withdrawn"}),
    "mediation_failed": frozenset({"mediating", "referred", "closed"}),
    "agreement": frozenset({"referred", "closed"}),
    "referred": frozenset({"mediating", "agreement", "referred", "withdrawn", "closed"}),
    "withdrawn": frozenset(),
    "closed": frozenset(),
}
# A pension amount is decided by the social-insurance agency: disputes go to administrative review
# or an administrative lawsuit (社会保险法 §83; 行政复议法), never to labour mediation or arbitration.
_NOT_FOR = {"pension_adjustment": {"mediating", "agreement", "mediation_failed"}}
_TARGETS_NOT_FOR = {"pension_adjustment": {"arbitration"}}
MAX_INSTALMENTS = 24
# A return visit a week after a case closes: did the money arrive, and how was the service.
AFTER_CLOSE = timedelta(days=7)


class MoveRefused(ValueError):
    """An impossible move (HTTP 409); `message` says why, in Chinese, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Instalment:
    amount: float
    due: date
    paid: Optional[bool] = None

    def as_dict(self) -> Dict[str, Any]:
        return {"amount": self.amount, "due": self.due.isoformat(), "paid": self.paid}


def moves_from(status: str, category: Optional[str]) -> FrozenSet[str]:
    return _MOVES.get(status, frozenset()) - _NOT_FOR.get(category or "", set())


def referral_targets(category: Optional[str]) -> List[str]:
    return [t for t in REFERRAL_TARGETS if t not in _TARGETS_NOT_FOR.get(category or "", set())]


def instalments_from(raw: Any) -> List[Instalment]:
    """Checked instalments from a request body: amounts above zero, real dates, in date order."""
    if not isinstance(raw, list) or not raw:
        raise MoveRefused("达成协议时请填写付款安排：每一期的金额和日期。")
    if len(raw) > MAX_INSTALMENTS:
        raise MoveRefused(f"分期最多{MAX_INSTALMENTS}期。")
    out = []
    for n, item in enumerate(raw, start=1):
        try:
            amount, due = float(item["amount"]), date.fromisoformat(str(item["due"]))
        except (KeyError, TypeError, ValueError):
            raise MoveRefused(f"第{n}期的金额或日期不对（日期写成 2026-12-15）。") from None
        if not amount > 0 or amount > 100_000_000:
            raise MoveRefused(f"第{n}期的金额不对。")
        out.append(Instalment(round(amount, 2), due))
    return sorted(out, key=lambda i: i.due)


def check_move(
    status: str, to: str, category: Optional[str], body: Dict[str, Any], instalments: Iterable[Instalment] = ()
) -> Dict[str, Any]:
    """What a move needs besides the status, checked; raises MoveRefused for an impossible one."""
    if to not in STATUSES:
        raise MoveRefused("没有这个状态。")
    if to not in moves_from(status, category):
        if to in _NOT_FOR.get(category or "", set()):
            raise MoveRefused(
                "养老金待遇的争议由社保经办机构处理，不走劳动争议调解和仲裁（《社会保险法》第八十三条）。"
            )
        raise MoveRefused(f"不能从“{status}”改为“{to}”。")
    extra: Dict[str, Any] = {}
    if to == "agreement":
        extra["instalments"] = instalments_from(body.get("instalments"))
    if to == "referred":
        target = body.get("to")
        if target not in REFERRAL_TARGETS:
            raise MoveRefused("请选择转给哪一方：工会、法院、检察院、劳动监察、仲裁、法律援助、信访或税务。")
        if target not in referral_targets(category):
            raise MoveRefused("养老金核定的争议不能转劳动仲裁：请转社保经办机构的上级行政复议或法院（行政诉讼）。")
        extra["to"] = target
        if body.get("station_id") is not None:
            extra["station_id"] = str(body["station_id"])[:64]
    if to == "closed" and status == "agreement":
        unpaid = [i for i in instalments if i.paid is not True]
        if unpaid and not str(body.get("note") or "").strip():
            raise MoveRefused("还有分期没有确认到账。钱到了再办结；如果另有结果（比如转法院执行），请在备注里写明。")
    return extra


@dataclass(frozen=True)
class FollowupPlan:
    due: date
    kind: str  # "instalment" (did number n arrive?) or "after_close" (回访 and rating)
    instalment: Optional[int] = None


def followups_for(instalments: List[Instalment]) -> List[FollowupPlan]:
    """One return visit on each instalment's due date."""
    return [FollowupPlan(i.due, "instalment", n) for n, i in enumerate(instalments, start=1)]


def after_close(closed_on: date) -> FollowupPlan:
    return FollowupPlan(closed_on + AFTER_CLOSE, "after_close")
