"""Whole conversations (tests/data/conversations_heldout.yml) through the real Rasa server's REST
channel and the real case database: how many reach their goal, in how many turns, how many traps,
how many fields recorded wrongly.

Each conversation is what one worker says, in order. A turn is a message, or one of:
  "@form"          answer whatever the open form asks from the conversation's `answers`, until it
                   closes (as a worker answers the question on the screen, whatever its order);
  "@until SLOT"    the same, stopping when the form asks SLOT (to cancel or digress right there);
  "@button TEXT"   tap the last reply's button whose title holds TEXT (typed, if there is none).
A question with no answer in `answers` gets "不清楚"; a question asked three times running stops
the block (the worker gives up). Goals (all must hold): `case` (a case in the database with these
fields and values), `no_case`, `reply` (a reply holds each `must` fact), `station` (the first station
card is in `district`, none farther than `max_km`), `handoff` (recorded for this conversation),
`closed` (no form left open at the end). `not` lists phrases no reply may contain.

A trap: a form open when the worker says "取消" and still open after that turn and the next one
(the same form or another). A wrong field: a case field that differs from the goal's value
(a field left empty is counted apart, as missing).

    make bench                                          # starts GongYou, runs all, prints figures
    python bench/conversations.py --show-failures       # and each failed conversation's reasons
    python bench/conversations.py --only c07 --transcript
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.cases.numbers import PATTERN as CASE_NUMBER  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "conversations_heldout.yml"

CANCEL = "取消"
UNKNOWN_ANSWER = "不清楚"
RANGE = re.compile(r"^\d+(\.\d+)?\.\.\d+(\.\d+)?$")
CASE_NO = re.compile(CASE_NUMBER)
FOLLOW_CODE = re.compile(r"查询码是 ([A-Z0-9-]{8,9})")
# What a worker taps on the buttons, unless the conversation says otherwise.
BUTTON_ANSWERS = {"consent": "同意", "health_consent": "同意", "confirmed": "/affirm", "erase_confirmed": "/affirm"}
MAX_FORM_TURNS = 16
SAME_QUESTION_LIMIT = 3
CASE_FIELDS = (
    "category",
    "name",
    "phone",
    "employer",
    "location",
    "amount",
    "period_months",
    "worker_count",
    "description",
    "station_id",
    "station_name",
    "collective",
)


@dataclass
class Turn:
    """One message and what followed it: the replies and the form open before and after."""

    text: str
    replies: List[str]
    custom: List[Dict[str, Any]]
    loop_before: Optional[str]
    loop_after: Optional[str]
    asked_after: Optional[str] = None  # the form's requested slot after this turn
    buttons: List[Dict[str, str]] = field(default_factory=list)
    answer: bool = False  # an answer to a form's question ("@form"): "岗位取消了" there is no cancel


@dataclass
class Outcome:
    id: str
    reached: bool
    goal_turn: Optional[int]  # 1-based: the turn after which every goal held
    traps: List[str] = field(default_factory=list)
    wrong: List[str] = field(default_factory=list)  # "employer: 美团 (want None)"
    missing: List[str] = field(default_factory=list)
    late: List[str] = field(default_factory=list)  # cancels honoured only a turn later
    failures: List[str] = field(default_factory=list)
    turns: List[Turn] = field(default_factory=list)


# -- scoring: pure functions of the turns and the database rows, so tests can check them --------


def _has(texts: List[str], item: Any) -> bool:
    """An item of `must`: a phrase, or a list of phrases any of which will do."""
    options = item if isinstance(item, list) else [item]
    return any(str(o) in t for t in texts for o in options)


def _same(got: Any, want: Any) -> bool:
    """A wanted value: exact; a list: any of them; "~x": contains x; "6..7": a number in that range;
    numbers compare as numbers; None: left empty."""
    if isinstance(want, list):
        return any(_same(got, w) for w in want)
    if want is None:
        return got in (None, "")
    if got in (None, ""):
        return False
    if isinstance(want, bool):
        return bool(got) == want
    if isinstance(want, (int, float)):
        try:
            return abs(float(got) - float(want)) < 1e-6
        except (TypeError, ValueError):
            return False
    if isinstance(want, str) and RANGE.match(want):
        low, high = (float(x) for x in want.split(".."))
        try:
            return low <= float(got) <= high
        except (TypeError, ValueError):
            return False
    if isinstance(want, str) and want.startswith("~"):
        return want[1:] in str(got)
    return str(got) == str(want)


def traps(turns: List[Turn]) -> List[str]:
    """A form open at "取消" and still open after that turn and the next (or at the end)."""
    found, caught_until = [], -1
    for i, turn in enumerate(turns):
        if i <= caught_until or not _cancels(turn):
            continue
        after = [t.loop_after for t in turns[i : i + 2]]
        if all(after):
            found.append(f"turn {i + 1} 「{turn.text[:20]}」: {turn.loop_before} still open ({after[-1]})")
            # One trap per time caught: the worker's further cancels in the same form are not more.
            caught_until = next((j for j in range(i, len(turns)) if not turns[j].loop_after), len(turns))
    return found


def late_cancels(turns: List[Turn]) -> List[str]:
    """Cancels that closed the form only at the next turn: no trap, but the worker had to repeat."""
    return [
        f"turn {i + 1} 「{t.text[:20]}」: {t.loop_before} still open, closed a turn later"
        for i, t in enumerate(turns)
        if _cancels(t) and t.loop_after and i + 1 < len(turns) and not turns[i + 1].loop_after
    ]


def _cancels(turn: Turn) -> bool:
    """The worker says "取消" while a form is open (not inside an answer the script gave for them)."""
    return CANCEL in turn.text and bool(turn.loop_before) and not turn.answer


def _cards(turns: List[Turn]) -> str:
    """The station cards shown, for a failure's reason: "渝中区人社局… 16.9 km, …" or "none"."""
    cards = [
        f"{c.get('name')} {c.get('km')} km"
        for t in turns
        for custom in t.custom
        if isinstance(custom, dict)
        for c in custom.get("stations") or []
    ]
    return ", ".join(cards) or "none shown"


def check_fields(want: Dict[str, Any], case: Optional[Dict[str, Any]]) -> Tuple[List[str], List[str]]:
    """(wrong, missing) fields of the case against the goal's values."""
    wrong, missing = [], []
    if case is None:
        return wrong, missing
    for name, value in want.items():
        got = case.get(name)
        if _same(got, value):
            continue
        if got in (None, ""):
            missing.append(f"{name}: empty (want {value!r})")
        else:
            wrong.append(f"{name}: {got!r} (want {value!r})")
    return wrong, missing


def goal_met(goal: Dict[str, Any], turns: List[Turn], cases: List[Dict[str, Any]], handoffs: List[Dict]) -> bool:
    """Whether one goal holds after these turns (the database as it is now)."""
    kind = goal["kind"]
    texts = [r for t in turns for r in t.replies]
    if kind == "case":
        if not cases:
            return False
        case = cases[-1]
        if goal.get("category") and not _same(case.get("category"), goal["category"]):
            return False
        wrong, missing = check_fields(goal.get("fields") or {}, case)
        return not wrong and not missing
    if kind == "no_case":
        return not cases and bool(turns) and not turns[-1].loop_after
    if kind == "closed":
        return bool(turns) and not turns[-1].loop_after
    if kind == "reply":
        start = next((i for i, t in enumerate(turns) if goal.get("from", "") in t.text), len(turns))
        later = [r for t in turns[start:] for r in t.replies]  # replies from the turn holding `from` on
        return all(_has(later, item) for item in goal.get("must") or [])
    if kind == "station":
        for t in turns:
            for custom in t.custom:
                cards = custom.get("stations") if isinstance(custom, dict) else None
                if not cards:
                    continue
                first = cards[0]
                where = f"{first.get('name', '')}{first.get('address', '')}"
                near = all(float(c.get("km") or 0) <= goal.get("max_km", 100) for c in cards)
                if goal.get("district", "") in where and near:
                    return True
        return False
    if kind == "no_station":
        # Nothing far listed as if near; the hotlines given instead.
        far = any(
            float(c.get("km") or 0) > goal.get("max_km", 100)
            for t in turns
            for custom in t.custom
            if isinstance(custom, dict)
            for c in custom.get("stations") or []
        )
        return not far and all(_has(texts, item) for item in goal.get("must") or ["12333"])
    if kind == "handoff":
        if not handoffs:
            return False
        return _same(handoffs[-1].get("phone"), goal["phone"]) if "phone" in goal else True
    raise ValueError(f"unknown goal kind {kind!r}")


def score(
    conv: Dict[str, Any],
    turns: List[Turn],
    cases_after: List[List[Dict[str, Any]]],
    handoffs_after: List[List[Dict]],
    notes: Optional[List[str]] = None,
) -> Outcome:
    """The outcome of a conversation from its turns and the database after each turn."""
    goals = conv["goals"]
    goal_turn = None
    for i in range(len(turns)):
        if all(goal_met(g, turns[: i + 1], cases_after[i], handoffs_after[i]) for g in goals):
            goal_turn = i + 1
            break
    final_cases = cases_after[-1] if cases_after else []
    final_handoffs = handoffs_after[-1] if handoffs_after else []
    out = Outcome(conv["id"], False, goal_turn, traps=traps(turns), turns=turns, late=late_cancels(turns))
    out.failures += list(notes or [])
    texts = [r for t in turns for r in t.replies]
    for goal in goals:
        if goal["kind"] == "case":
            case = final_cases[-1] if final_cases else None
            if case is None:
                out.failures.append("no case opened")
            elif goal.get("category") and not _same(case.get("category"), goal["category"]):
                out.wrong.append(f"category: {case.get('category')!r} (want {goal['category']!r})")
            wrong, missing = check_fields(goal.get("fields") or {}, case)
            out.wrong += wrong
            out.missing += missing
            if len(final_cases) > 1:
                out.failures.append(f"{len(final_cases)} cases opened")
        elif not goal_met(goal, turns, final_cases, final_handoffs):
            detail = {
                "reply": lambda g: f"no reply with {g.get('must')}",
                "station": lambda g: (
                    f"no station card in {g.get('district')}, or one beyond {g.get('max_km', 100)} km: " + _cards(turns)
                ),
                "no_station": lambda g: f"far stations listed or no {g.get('must') or ['12333']}",
                "handoff": lambda g: "no handoff recorded" + (f" with phone {g['phone']}" if "phone" in g else ""),
                "no_case": lambda g: "a case was opened or a form left open",
                "closed": lambda g: f"a form left open ({turns[-1].loop_after if turns else None})",
            }[goal["kind"]]
            out.failures.append(detail(goal))
    for phrase in conv.get("not") or []:
        if _has(texts, phrase):
            out.failures.append(f"said {phrase!r}")
    out.failures += [f"trap: {t}" for t in out.traps]
    out.failures += [f"wrong field {w}" for w in out.wrong]
    out.failures += [f"missing field {m}" for m in out.missing]
    out.reached = (
        goal_turn is not None
        and not out.traps
        and not out.wrong
        and not any(f.startswith("said") for f in out.failures)
    )
    return out


# -- running: the real REST channel, Rasa's tracker and the case database ---------------------


class Stack:
    """A running GongYou: its Rasa URL, the token of Rasa's HTTP API and its case database."""

    def __init__(self, rasa: str, token: str, database: Path, timeout: float = 60):
        import requests

        self.http = requests.Session()
        self.rasa, self.token, self.database, self.timeout = rasa.rstrip("/"), token, database, timeout

    def say(self, sender: str, text: str) -> Tuple[List[str], List[Dict[str, Any]], List[Dict[str, str]]]:
        reply = self.http.post(
            f"{self.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=self.timeout
        )
        reply.raise_for_status()
        messages = reply.json()
        return (
            [m.get("text") or "" for m in messages],
            [m["custom"] for m in messages if m.get("custom")],
            [b for m in messages for b in m.get("buttons") or []],
        )

    def form(self, sender: str) -> Tuple[Optional[str], Optional[str]]:
        """(open form, the slot it asks) as Rasa keeps the conversation (REST senders are `rest-…`)."""
        reply = self.http.get(
            f"{self.rasa}/conversations/rest-{sender}/tracker", params={"token": self.token}, timeout=self.timeout
        )
        reply.raise_for_status()
        tracker = reply.json()
        loop = (tracker.get("active_loop") or {}).get("name")
        return loop, (tracker.get("slots") or {}).get("requested_slot") if loop else None

    def _rows(self, query: str, sender: str) -> List[Dict[str, Any]]:
        if not self.database.exists():
            return []
        db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30)
        try:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(query, (f"rest-{sender}", sender))]
        except sqlite3.OperationalError:  # no table yet: nothing recorded
            return []
        finally:
            db.close()

    def cases(self, sender: str) -> List[Dict[str, Any]]:
        return self._rows("SELECT * FROM cases WHERE sender_id IN (?, ?) ORDER BY id", sender)

    def handoffs(self, sender: str) -> List[Dict[str, Any]]:
        return self._rows("SELECT * FROM handoffs WHERE sender_id IN (?, ?) ORDER BY id", sender)


def remembered(text: str, turns: List[Turn]) -> str:
    """ "{case_no}" and "{follow_code}": what the worker read in an earlier reply (the latest)."""
    for name, pattern in (("case_no", CASE_NO), ("follow_code", FOLLOW_CODE)):
        if "{" + name + "}" in text:
            found = [m for t in turns for r in t.replies for m in pattern.finditer(r)]
            value = (found[-1].group(1) if pattern.groups else found[-1].group(0)) if found else "（没记下）"
            text = text.replace("{" + name + "}", value)
    return text


def run(stack: Stack, conv: Dict[str, Any]) -> Outcome:
    sender = f"bench-{conv['id']}-{uuid.uuid4().hex[:6]}"
    answers: Dict[str, Any] = {**BUTTON_ANSWERS, **(conv.get("answers") or {})}
    turns: List[Turn] = []
    cases_after: List[List[Dict]] = []
    handoffs_after: List[List[Dict]] = []
    notes: List[str] = []
    loop, asked = None, None

    def send(text: str, answer: bool = False) -> None:
        nonlocal loop, asked
        before = loop
        try:
            replies, custom, buttons = stack.say(sender, text)
        except Exception as exc:  # a failed turn is a failure of the conversation, not of the bench
            notes.append(f"turn {len(turns) + 1} 「{text[:20]}」 failed: {type(exc).__name__}")
            replies, custom, buttons = [], [], []
        if not any(r.strip() for r in replies) and not custom:
            notes.append(f"turn {len(turns) + 1} 「{text[:20]}」 got no reply")
        loop, asked = stack.form(sender)
        turns.append(Turn(text, replies, custom, before, loop, asked, buttons, answer))
        cases_after.append(stack.cases(sender))
        handoffs_after.append(stack.handoffs(sender))

    for step in conv["turns"]:
        step = str(step)
        if not step.startswith("@"):
            send(remembered(step, turns))
            continue
        if step.startswith("@button"):
            wanted = step.split(maxsplit=1)[1]
            shown = turns[-1].buttons if turns else []
            tapped = next((b for b in shown if wanted in (b.get("title") or "")), None)
            if tapped is None:
                notes.append(f"no button 「{wanted}」 to tap (shown: {[b.get('title') for b in shown]})")
                send(wanted)  # typed instead
            else:
                send(tapped.get("payload") or tapped.get("title") or wanted)
            continue
        stop_at = step.split()[1] if step.startswith("@until") else None
        same, last = 0, None
        for _ in range(MAX_FORM_TURNS):
            if not loop or not asked or asked == stop_at:
                break
            same = same + 1 if asked == last else 1
            if same >= SAME_QUESTION_LIMIT:
                notes.append(f"{loop} asked {asked} {same} times running: gave up")
                break
            last = asked
            if asked not in answers:
                notes.append(f"{loop} asked {asked}, which the worker has no answer for")
            send(remembered(str(answers.get(asked, UNKNOWN_ANSWER)), turns), answer=True)
        else:
            notes.append(f"{loop} still open after {MAX_FORM_TURNS} answers")
        if stop_at and loop and asked != stop_at:
            notes.append(f"{stop_at} never asked")
    if turns and _cancels(turns[-1]) and loop:
        # A cancel the bot did not honour at once: the worker says it again (the second of the two
        # turns a form has to let go before it counts as a trap).
        send(CANCEL)
    return score(conv, turns, cases_after, handoffs_after, notes)


# -- report ----------------------------------------------------------------------------------


def report(outcomes: List[Outcome], path: Path = HELDOUT) -> str:
    n = len(outcomes)
    reached = [o for o in outcomes if o.reached]
    turns_per_goal = sum(o.goal_turn or 0 for o in reached) / len(reached) if reached else float("nan")
    wrong = [f"{o.id} {w}" for o in outcomes for w in o.wrong]
    missing = [f"{o.id} {m}" for o in outcomes for m in o.missing]
    trapped = [f"{o.id} {t}" for o in outcomes for t in o.traps]
    late = [f"{o.id} {t}" for o in outcomes for t in o.late]
    try:
        shown = path.relative_to(ROOT)
    except ValueError:
        shown = path
    lines = [
        f"conversations on {n} held-out dialogues ({shown})",
        f"  goal reached       {len(reached) / n:6.1%}  ({len(reached)}/{n})",
        f"  turns per goal     {turns_per_goal:6.1f}",
        f"  traps              {len(trapped):6d}",
        f"  fields wrong       {len(wrong):6d}",
        f"  fields missing     {len(missing):6d}",
        f"  cancels repeated   {len(late):6d}  (a form let go only at the second 取消: no trap)",
    ]
    lines += [f"    wrong: {w}" for w in wrong]
    lines += [f"    trap:  {t}" for t in trapped]
    lines += [f"    late:  {t}" for t in late]
    return "\n".join(lines)


def failures(outcomes: List[Outcome], convs: Dict[str, Dict[str, Any]]) -> str:
    lines = ["failed conversations:"]
    for o in outcomes:
        if o.reached:
            continue
        tags = ",".join(convs[o.id].get("tags") or [])
        lines.append(f"  {o.id} [{tags}] {convs[o.id].get('who', '')}")
        lines += [f"      - {f}" for f in dict.fromkeys(o.failures)] or ["      - goal not reached"]
    return "\n".join(lines)


def transcript(o: Outcome) -> str:
    lines = [f"== {o.id}"]
    for i, t in enumerate(o.turns, 1):
        lines.append(f"{i:2d} > {t.text}    [{t.loop_before} -> {t.loop_after}:{t.asked_after}]")
        lines += ["     " + r.replace("\n", "\n     ") for r in t.replies]
        lines += ["     CUSTOM " + json.dumps(c, ensure_ascii=False)[:200] for c in t.custom]
    return "\n".join(lines)


def load(path: Path = HELDOUT) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_all(stack: Stack, convs: List[Dict[str, Any]], progress: Callable[[str], None] = lambda _: None):
    outcomes = []
    for conv in convs:
        outcomes.append(run(stack, conv))
        progress("." if outcomes[-1].reached else "x")
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--url", help="a running GongYou's Rasa server, with --token and --database (else one is started here)"
    )
    parser.add_argument("--token", default=os.environ.get("RASA_AUTH_TOKEN"))
    parser.add_argument("--database", type=Path, help="its SQLite case database")
    parser.add_argument("--data", type=Path, default=HELDOUT)
    parser.add_argument("--only", nargs="*", help="conversation ids")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--transcript", action="store_true", help="print each failed conversation in full")
    parser.add_argument("--json", type=Path, help="write the outcomes here")
    args = parser.parse_args()
    convs = load(args.data)
    if args.only:
        convs = [c for c in convs if c["id"] in args.only]
    proc, workdir = None, None
    if args.url:
        stack = Stack(args.url, args.token, args.database)
    else:
        from bench.load import start_gongyou, stop

        workdir = Path(tempfile.mkdtemp(prefix="gongyou-conv-"))
        os.environ["RASA_AUTH_TOKEN"] = secrets.token_urlsafe(24)  # to read the trackers
        try:
            proc, url = start_gongyou(workdir)
        except RuntimeError as failed:
            log = workdir / "gongyou.log"
            print(f"GongYou did not start: {failed}\n" + (log.read_text()[-3000:] if log.exists() else ""))
            shutil.rmtree(workdir, ignore_errors=True)
            return 1
        stack = Stack(url, os.environ["RASA_AUTH_TOKEN"], workdir / "cases.sqlite3")
    try:
        outcomes = run_all(stack, convs, lambda c: print(c, end="", flush=True))
        print()
    finally:
        if proc is not None:
            stop(proc)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report(outcomes, args.data))
    if args.show_failures or args.transcript:
        print(failures(outcomes, {c["id"]: c for c in convs}))
    if args.transcript:
        for o in outcomes:
            if not o.reached:
                print(transcript(o))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "id": o.id,
                        "reached": o.reached,
                        "goal_turn": o.goal_turn,
                        "failures": list(dict.fromkeys(o.failures)),
                        "turns": [
                            {"text": t.text, "replies": t.replies, "loop": t.loop_after, "asked": t.asked_after}
                            for t in o.turns
                        ],
                    }
                    for o in outcomes
                ],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
