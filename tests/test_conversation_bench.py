"""The conversation benchmark (bench/conversations.py) scores what it claims: a trap is a trap, a
wrong field is wrong, and the held-out set still covers a cancel at every step of every form."""

import uuid

import pytest
import yaml

from bench import conversations as bench
from tests.conftest import RASA_TOKEN, ROOT


def turn(text, before, after, replies=("…",)):
    return bench.Turn(text, list(replies), [], before, after)


@pytest.mark.unit
def test_a_form_still_open_two_turns_after_cancel_is_one_trap():
    trapped = [
        turn("查进度", None, "status_form"),
        turn("取消", "status_form", "status_form"),
        turn("取消", "status_form", "status_form"),
        turn("转人工", "status_form", "status_form"),
    ]
    assert len(bench.traps(trapped)) == 1  # the worker's repeated cancels are the same trap
    # Let go at the turn after the cancel: no trap, but counted as a cancel the worker had to repeat.
    late = [
        turn("我要登记", None, "case_form"),
        turn("取消", "case_form", "case_form"),
        turn("取消", "case_form", None),
    ]
    assert bench.traps(late) == [] and len(bench.late_cancels(late)) == 1
    honoured = [turn("我要登记", None, "case_form"), turn("取消", "case_form", None)]
    assert bench.traps(honoured) == [] and bench.late_cancels(honoured) == []
    # An answer given on the worker's behalf that mentions 取消 ("岗位取消了") is no cancel.
    story = bench.Turn("人事说岗位取消了", ["请核对"], [], "case_form", "case_form", answer=True)
    assert bench.traps([story, turn("好的", "case_form", "case_form")]) == []
    # Cancelling with no form open traps nothing; a form caught at the very last turn does.
    assert bench.traps([turn("取消", None, None)]) == []
    assert len(bench.traps([turn("我要登记", None, "case_form"), turn("取消", "case_form", "case_form")])) == 1


@pytest.mark.unit
def test_fields_are_wrong_missing_or_right_as_the_goal_says():
    case = {"employer": "美团", "amount": 6.5, "location": "巴南区龙洲湾", "phone": None, "period_months": 6.3}
    wrong, missing = bench.check_fields(
        {"employer": None, "amount": "6..7", "location": "~龙洲湾", "phone": "13812345678", "period_months": [3, 6]},
        case,
    )
    assert wrong == ["employer: '美团' (want None)", "period_months: 6.3 (want [3, 6])"]
    assert missing == ["phone: empty (want '13812345678')"]
    assert bench.check_fields({"amount": 8000, "name": "王强"}, {"amount": 8000.0, "name": "王强"}) == ([], [])


@pytest.mark.unit
def test_a_case_with_a_wrong_field_does_not_reach_its_goal():
    conv = {"id": "t", "goals": [{"kind": "case", "category": "wage_arrears", "fields": {"amount": 8000}}]}
    turns = [turn("老板欠我八千", None, None), turn("/affirm", "case_form", None)]
    right = [{"category": "wage_arrears", "amount": 8000.0}]
    out = bench.score(conv, turns, [[], right], [[], []])
    assert out.reached and out.goal_turn == 2 and out.wrong == []
    out = bench.score(conv, turns, [[], [{"category": "wage_arrears", "amount": 6000.0}]], [[], []])
    assert not out.reached and out.goal_turn is None and out.wrong == ["amount: 6000.0 (want 8000)"]
    # A phrase the conversation must never hear fails it even when the case is right.
    said = bench.score({**conv, "not": ["帮不上忙"]}, [turn("x", None, None, ["这个问题我帮不上忙"])], [right], [[]])
    assert not said.reached and "said '帮不上忙'" in said.failures


@pytest.mark.unit
def test_the_held_out_set_cancels_at_every_step_of_every_form():
    convs = bench.load()
    assert len(convs) >= 60
    assert len({c["id"] for c in convs}) == len(convs)
    kinds = {"case", "no_case", "closed", "reply", "station", "no_station", "handoff"}
    assert all(c["goals"] and {g["kind"] for g in c["goals"]} <= kinds for c in convs)
    forms = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["forms"]
    steps = {f"{form}:{slot}" for form, spec in forms.items() for slot in spec["required_slots"]}
    steps -= {"case_form:category"}  # asked only when no complaint came first: the topic buttons
    tagged = {tag for c in convs for tag in c.get("tags") or [] if ":" in tag}
    assert steps - tagged == set()
    # Every conversation that cancels a form gives the bot a chance to let go: a 取消 with a form open.
    for conv in convs:
        if any(":" in tag for tag in conv.get("tags") or []):
            assert any(bench.CANCEL in str(t) for t in conv["turns"]), conv["id"]


# -- through the real servers -----------------------------------------------------------------


def conversation(goals, turns, answers=None):
    return {"id": f"t{uuid.uuid4().hex[:6]}", "turns": turns, "answers": answers or {}, "goals": goals}


ANSWERS = {
    "name": "段红梅",
    "phone": "13700221188",
    "employer": "重庆江北顺达汽修厂",
    "location": "江北区",
    "amount": "九千",
    "duration": "三个月",
    "worker_count": "就我一个",
    "description": "老板说生意不好 一直拖",
}


@pytest.mark.stack
def test_the_bench_scores_real_conversations_from_the_case_database(stack):
    live = bench.Stack(stack.rasa, RASA_TOKEN, stack.workdir / "cases.sqlite3")
    right = {"name": "段红梅", "phone": "13700221188", "amount": 9000, "period_months": 3, "location": "~江北"}
    case = conversation(
        [{"kind": "case", "category": "wage_arrears", "fields": right}],
        ["老板欠我工资", "/open_case", "@form"],
        ANSWERS,
    )
    out = bench.run(live, case)
    assert out.reached and out.wrong == [] and out.missing == [], out.failures
    assert out.goal_turn == len(out.turns) and out.turns[1].loop_after == "case_form"

    # The same talk held to a value the worker never gave: the field read back from the database is wrong.
    wrong = conversation(
        [{"kind": "case", "fields": {**right, "amount": 9500}}], ["老板欠我工资", "/open_case", "@form"], ANSWERS
    )
    out = bench.run(live, wrong)
    assert not out.reached and out.wrong == ["amount: 9000.0 (want 9500)"]

    # A cancel at the phone question: the form was seen open, and let go at once.
    cancel = conversation([{"kind": "no_case"}], ["老板欠我工资", "/open_case", "@until phone", "取消"], ANSWERS)
    out = bench.run(live, cancel)
    assert out.turns[-1].loop_before == "case_form" and out.turns[-1].loop_after is None
    assert out.reached and out.traps == [] and out.late == []  # no_case: nothing in the database
