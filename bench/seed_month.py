"""A month of realistic cases seeded through the real services, then the dashboard's figures.

Cases are opened with CaseService (validation, numbering, employer grouping), moved with its
change_status (category rules, instalments, follow-ups), follow-ups are sent by the real
scheduler at their due times, and workers answer in the chat through bot/followups/replies.py,
on an SQLite file (or --url). Random but seeded: the same run prints the same figures.

    python bench/seed_month.py                 # 30 days from 2026-11-01, about 4 cases a day
    python bench/seed_month.py --per-day 8 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cases.service import CaseService  # noqa: E402
from bot.console.accounts import Principal  # noqa: E402
from bot.console.outcome_stats import early_warnings  # noqa: E402
from bot.console.stats import Dashboard  # noqa: E402
from bot.followups import replies, scheduler  # noqa: E402
from bot.followups.channels import CALL, WEB, CallList, Channels, WebInbox  # noqa: E402
from bot.stations.store import ensure_some  # noqa: E402
from bot.storage.engine import make_engine, session_factory, upgrade  # noqa: E402

CHINA = timezone(timedelta(hours=8))
CATEGORIES = [  # weights roughly as the seeds describe the stations' work: wages first
    ("wage_arrears", 45),
    ("dismissal", 12),
    ("social_insurance", 10),
    ("work_injury", 8),
    ("labor_contract", 8),
    ("overtime", 7),
    ("platform_work", 6),
    ("pension_adjustment", 4),
]
EMPLOYERS = [
    "巫溪县某鞋业有限公司",
    "珠山区某陶瓷厂",
    "某建筑劳务分包公司",
    "沙坪坝区某火锅店",
    "某外卖配送站",
    "江北区某物业公司",
    "昌南新区某电子厂",
    "某商贸超市",
    "渝中区某家政公司",
    "某物流仓储中心",
    "巴南区某装修工程队",
    "某服装加工厂",
]
STATIONS = [
    ("jdz-taoxichuan", "陶溪川文创街区劳动关系综合服务中心"),
    ("jdz-onestop", "景德镇市劳动争议一站式调处中心"),
    ("cq-yuzhong-union", "渝中区总工会职工服务站"),
    ("cq-wuxi-hrss", "巫溪县人社局劳动保障监察"),
    ("cq-banan-union", "巴南区总工会职工服务站"),
    ("cq-shapingba-union", "沙坪坝区总工会职工服务站"),
]
SUPERVISOR = Principal("bench", "bench", "supervisor")


class Clock:
    """The services' clock, moved by the seed as the month goes by."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def seed(url: str, start: date, days: int, per_day: float, rng: random.Random) -> dict:
    engine = make_engine(url)
    upgrade(engine)
    ensure_some(engine)
    sessions = session_factory(engine)
    clock = Clock(datetime.combine(start, datetime.min.time(), tzinfo=CHINA) + timedelta(hours=9))
    service = CaseService(sessions, clock=clock)
    channels = Channels({WEB: WebInbox(), CALL: CallList()})
    # (when, what): moves and answers planned ahead, done in time order with the clock set.
    plan: list = []
    senders: dict = {}
    opened = 0
    categories, weights = zip(*CATEGORIES)
    for day in range(days):
        # The seeds' pattern: one employer's workers come in a wave (the shoe factory, week two).
        wave = 6 if day in (8, 9) else 0
        for n in range(rng.randint(int(per_day * 0.5), int(per_day * 1.5)) + wave):
            at = datetime.combine(start + timedelta(days=day), datetime.min.time(), tzinfo=CHINA) + timedelta(
                hours=8 + rng.random() * 10
            )
            plan.append((at, "open", {"wave": n < wave}))
    plan.sort(key=lambda p: p[0])
    end = datetime.combine(start + timedelta(days=days + 45), datetime.min.time(), tzinfo=CHINA)
    done = 0
    while plan:
        plan.sort(key=lambda p: p[0])
        at, what, data = plan.pop(0)
        if at > end:
            break
        clock.now = at
        scheduler.run_due(sessions, channels, at, clock=clock)
        if what == "open":
            category = "wage_arrears" if data["wave"] else rng.choices(categories, weights)[0]
            station_id, station_name = rng.choice(STATIONS[3:4] if data["wave"] else STATIONS)
            employer = EMPLOYERS[0] if data["wave"] else rng.choice(EMPLOYERS)
            sender = f"rest-bench-{opened}"
            case, _ = service.open_draft(
                {
                    "category": category,
                    "employer": employer,
                    "amount": round(rng.uniform(2, 60)) * 1000,
                    "worker_count": rng.choice([1, 1, 1, 2, 3, 16]) if not data["wave"] else 1,
                    "station_id": station_id,
                    "station_name": station_name,
                    "sender_id": sender,
                },
                f"bench-{opened}",
            )
            opened += 1
            senders[case["case_no"]] = sender
            plan.append((at + timedelta(hours=rng.uniform(2, 60)), "move", {"case": case, "to": "accepted"}))
        elif what == "move":
            case, to = data["case"], data["to"]
            body: dict = {}
            if to == "agreement":
                first = (at + timedelta(days=rng.randint(5, 15))).astimezone(CHINA).date()
                parts = rng.choice([1, 2, 3, 3])
                share = round((case["amount"] or 3000) / parts, 2)
                body["instalments"] = [
                    {"amount": share, "due": (first + timedelta(days=30 * k)).isoformat()} for k in range(parts)
                ]
            if to == "referred":
                targets = ["arbitration", "procuratorate", "labour_inspection", "court"]
                body["to"] = "court" if case["category"] == "pension_adjustment" else rng.choice(targets)
            moved = service.change_status(case["case_no"], to, "bench", "种子数据", body)
            done += 1
            for later, step in _next_steps(moved, rng):
                plan.append((at + later, "move", {"case": moved, "to": step}))
            if to == "agreement":
                for item in moved["instalments"]:
                    due = datetime.fromisoformat(item["due"] + "T09:00:00+08:00")
                    plan.append((due + timedelta(hours=rng.uniform(1, 72)), "answer", {"case": moved}))
        elif what == "answer":
            sender = senders[data["case"]["case_no"]]
            fresh = service.get(data["case"]["case_no"]) or data["case"]
            said = rng.choices(["收到了", "没有", "只收到一半"], [82, 13, 5])[0]
            replies.turn(sessions, sender, "你好", at)  # the due question is shown first
            answer = replies.turn(sessions, sender, said, at + timedelta(minutes=2))
            if any("打个分" in m for m in answer["messages"]):
                replies.turn(
                    sessions, sender, str(rng.choices([5, 4, 3, 2], [55, 30, 10, 5])[0]), at + timedelta(minutes=4)
                )
                replies.turn(sessions, sender, "没有", at + timedelta(minutes=6))
                plan.append((at + timedelta(days=1), "move", {"case": fresh, "to": "closed"}))
            elif said != "收到了" and rng.random() < 0.5:
                plan.append((at + timedelta(days=rng.randint(2, 6)), "confirm", {"case": fresh}))
        elif what == "confirm":
            unpaid = [n for n, i in enumerate(data["case"]["instalments"], start=1) if i["paid"] is not True]
            if unpaid:
                service.confirm_instalment(data["case"]["case_no"], unpaid[0], True, "bench", "补发到账")
    clock.now = end
    scheduler.run_due(sessions, channels, end, clock=clock)
    figures = Dashboard(sessions, clock=clock).figures(SUPERVISOR)
    # The warning as the stations would have seen it at the end of the wave's week.
    wave_week = datetime.combine(start + timedelta(days=10), datetime.min.time(), tzinfo=CHINA)
    with sessions() as session:
        warned = early_warnings(session, None, wave_week)
    engine.dispose()
    return {"cases": opened, "moves": done, "figures": figures, "wave_week": (wave_week.date(), warned)}


def _next_steps(case: dict, rng: random.Random) -> list:
    """What happens next to a case in this status, and after how long."""
    status, category = case["status"], case["category"]
    hours = timedelta(hours=rng.uniform(12, 24 * 9))
    if status == "accepted":
        if category == "pension_adjustment":
            return [(hours, "referred")]
        return [(hours, "withdrawn")] if rng.random() < 0.05 else [(hours, "mediating")]
    if status == "mediating":
        return [(hours, "agreement" if rng.random() < 0.72 else "mediation_failed")]
    if status == "mediation_failed":
        return [(hours, "referred")]
    if status == "referred":
        if category == "pension_adjustment" or rng.random() < 0.5:
            return [(hours * 2, "closed")]
        return [(hours * 2, "agreement")]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--start", default="2026-11-01")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=float, default=4)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/month.db"
        started = time.perf_counter()
        result = seed(url, date.fromisoformat(args.start), args.days, args.per_day, random.Random(args.seed))
        seconds = time.perf_counter() - started
    f = result["figures"]
    med, inst, sat = f["mediation"], f["instalments"], f["satisfaction"]
    print(
        f"seeded {result['cases']} cases, {result['moves']} moves in {seconds:.1f} s"
        f" ({args.days} days from {args.start})"
    )
    print(f"by status: {json.dumps(f['by_status'], ensure_ascii=False, sort_keys=True)}")
    print(f"mediation success rate: {med['success_rate']} ({med['agreements']} agreements, {med['failures']} failures)")
    print(f"median days to outcome: {f['days_to_outcome']['median_days']} over {f['days_to_outcome']['cases']} cases")
    print(
        f"instalments paid on time: {inst['on_time_share']} ({inst['paid_on_time']} of {inst['due_and_answered']};"
        f" {inst['unpaid']} unpaid)"
    )
    print(f"satisfaction: mean {sat['mean']} over {sat['ratings']} ratings, by score {sat['by_score']}")
    for label, warning in (("the last day", f["early_warning"]), (str(result["wave_week"][0]), result["wave_week"][1])):
        print(f"early warnings (>= {warning['threshold']} cases in {warning['days']} days) as of {label}:")
        for w in warning["warnings"]:
            print(
                f"  {w['dimension']}: {w['name']} - {w['cases']} cases, {w['workers']} workers, {w['amount']:.0f} yuan"
            )
        if not warning["warnings"]:
            print("  none")


if __name__ == "__main__":
    main()
