"""Answers to workers' own questions through the real pipeline: the trained model in-process, the
rules' routing and the functions the actions call (bench/answers.py), on the held-out set."""

import re

import pytest

from bench.answers import FALLBACK, RIGHT, WRONG, load, report, respond, run, verdict
from bot.law import faq
from tests.conftest import training_data

ITEMS = load()
BASIC = [item for item in ITEMS if item.get("basic")]


def training_texts():
    return {m.get("text") for m in training_data().training_examples}


@pytest.mark.unit
def test_held_out_is_big_and_written_apart():
    assert len(ITEMS) >= 200
    assert all(item["must"] for item in ITEMS)
    assert len([i for i in ITEMS if i.get("multi")]) >= 20
    questions = [item["q"] for item in ITEMS]
    assert len(questions) == len(set(questions))
    phrasings = {q for entry in faq.entries() for q in entry.phrasings}
    assert set(questions) & phrasings == set()
    assert set(questions) & training_texts() == set()


@pytest.mark.unit
def test_the_seven_basic_facts_are_all_there():
    assert sorted(item["basic"] for item in BASIC) == sorted(
        ["free", "one_year", "injury_deadline", "double", "n", "contractor", "pension"]
    )


@pytest.mark.parametrize("item", BASIC, ids=[i["basic"] for i in BASIC])
@pytest.mark.model
def test_a_basic_fact_comes_back_in_one_turn(parse, item):
    intent = parse(item["q"])["intent"]["name"]
    kind, key, topic, text = respond(intent, item["q"])
    assert verdict(item, kind, text) == RIGHT, (intent, kind, key, text)


@pytest.mark.parametrize(
    "question,fact,never",
    [
        ("申请仲裁有没有期限", "一年", "案件编号"),
        ("调解要等多少天", "15日", "帮不上忙"),
        ("裁决下来我不认可能怎么办", "15日内", "帮不上忙"),
        ("竞业协议最多管几年", "两年", "帮不上忙"),
        ("请律师没钱，有没有免费的", "法律援助", "招聘会"),
        ("申请仲裁收费吗", "不收费", "请点一个"),
        ("仲裁立案后多长时间判", "45日", "请点一个"),
        ("欠工资能不能走支付令", "支付令", "请点一个"),
        ("工亡的话家属能拿多少补助", "一次性工亡补助金", "先治伤"),
    ],
)
@pytest.mark.model
def test_the_questions_the_issue_found_failing(parse, question, fact, never):
    intent = parse(question)["intent"]["name"]
    kind, key, topic, text = respond(intent, question)
    assert fact in text and never not in text, (intent, kind, key, text)


@pytest.mark.model
def test_several_problems_are_classified_by_the_one_asked(parse):
    question = "没签合同，辞职后老板不给工资怎么办"
    kind, key, topic, text = respond(parse(question)["intent"]["name"], question)
    assert text.startswith("您说了两件事：没签合同、不给工资") and topic == "wage_arrears"


# The issue's targets are 90% right, 0 wrong, 5% fallbacks: met on all 359 (90.5%, 0, 1.4%); the
# fourth batch, scored before the last round of fixes and never tuned on, has 85.9% right (docs/
# figures.md). These floors sit just under today's figures so that a regression fails.
RIGHT_FLOOR, FALLBACK_CEILING, MULTI_TOPIC_FLOOR = 0.89, 0.04, 0.85


@pytest.mark.model
def test_held_out_figures(parse):
    outcomes = run(parse, ITEMS)
    print(report(ITEMS, outcomes))
    share = {v: sum(o.verdict == v for o in outcomes) / len(outcomes) for v in (RIGHT, WRONG, FALLBACK)}
    wrong = [(o.question, o.text[:80]) for o in outcomes if o.verdict == WRONG]
    assert wrong == []
    assert share[RIGHT] >= RIGHT_FLOOR, report(ITEMS, outcomes)
    assert share[FALLBACK] <= FALLBACK_CEILING, report(ITEMS, outcomes)
    first = [o for i, o in zip(ITEMS, outcomes) if i.get("batch", 1) == 1]
    assert sum(o.verdict == RIGHT for o in first) / len(first) >= 0.92
    assert sum(o.verdict == FALLBACK for o in first) / len(first) <= 0.03
    multi = [(i, o) for i, o in zip(ITEMS, outcomes) if i.get("multi")]
    assert sum(o.topic == i["topic"] for i, o in multi) / len(multi) >= MULTI_TOPIC_FLOOR


@pytest.mark.unit
def test_every_answer_cites_what_it_says():
    """The held-out facts come from cited FAQ text: no answer states an article it does not list."""
    for entry in faq.entries():
        assert entry.citations, entry.key
        assert re.search(r"《[^》]+》第[一二三四五六七八九十百零]+条", entry.answer), entry.key
