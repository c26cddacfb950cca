"""Issue 15, second pass: the held-out bench's wrong fields and unheard questions, each a test.

A dismissal told with the boss's excuse is filed as a dismissal, typos are read as what was meant,
a pregnancy's months are never the time worked, "离职半年 还来得及吗" is answered with the
one-year limit (劳动争议调解仲裁法 §27), every problem of a long story is said, and Cantonese
"点算好" asks what to do, not for a person.
"""

import pytest
import requests

from bot.channels.rest import conversation_id
from bot.dialogue.complaints import PHONE_CHARS, Facts, complaint_reply
from bot.dialogue.problems import mentioned
from bot.law.faq import looks_like_a_question
from bot.nlu.entities import resolve_entities
from bot.text.cleaning import clean_for_parse
from bot.text.typos import fix_typos

LONG_STORY = (
    "我在重庆沙坪坝一个厂里干了两年，老板一直说效益不好，最近四个月的工资一直没发，一共欠了两万多。上个月在车间"
    "操作冲床的时候手被压伤了，缝了十几针，老板只给了五百块医药费就不管了。我去查了一下，公司这两年根本没给我交社保，"
    "当初说好的五险一件一样都没有。现在手还没好，也不敢辞职，怕工资更拿不到，不知道该先弄哪一个，求帮忙。"
)


def durations(text):
    return [e["value"] for e in resolve_entities(text, []) if e["entity"] == "duration"]


# ---- the services ----------------------------------------------------------------------------


@pytest.mark.unit
def test_typos_are_put_right_in_place():
    for typed, meant in [("老版欠我工姿", "老板欠我工资"), ("工资拖前了 怎么版", "工资拖欠了 怎么办")]:
        assert fix_typos(typed) == meant
    assert clean_for_parse("老版 不给工姿") == "老板不给工资"
    assert [p.topic for p in mentioned("老扳拖着我的公资不发")] == ["wage_arrears"]


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        # the boss's excuse shares words with the social insurance hardship rule
        ("social_insurance", "公司突然把我辞退了 说是经营困难", "dismissal"),
        ("social_insurance", "厂里说经营困难 把我开除了", "dismissal"),
        # "三个月" is also the probation's length
        ("labor_contract", "老版欠我工姿三个月了 怎么版", "wage_arrears"),
        ("labor_contract", "老板拖了我三个月工资", "wage_arrears"),
    ],
)
@pytest.mark.unit
def test_the_one_problem_the_words_name_is_the_category(intent, text, topic):
    assert complaint_reply(intent, Facts(), text).topic == topic


@pytest.mark.parametrize(
    "intent, text",
    [
        # the NLU's topic is named too, behind the wage cue's "钱就不给"
        ("social_insurance", "公司说多发点钱就不给我上社保了"),
        # the wages are only added on at the end
        ("labor_contract", "公司不让我跳槽去同行 也没给钱"),
    ],
)
@pytest.mark.unit
def test_the_words_overrule_the_nlu_only_when_they_name_one_other_problem_plainly(intent, text):
    assert complaint_reply(intent, Facts(), text).topic == intent


@pytest.mark.unit
def test_asking_whom_to_get_the_wages_from_names_the_wages():
    text = "干了三个月没签合同 现在也不给钱 工钱找谁要"
    assert [p.topic for p in mentioned(text)] == ["labor_contract", "wage_arrears"]


@pytest.mark.unit
def test_the_words_do_not_overrule_a_topic_they_cannot_name():
    """Pension questions say "社保" too: the pension topic has no cue of its own to be overruled by."""
    reply = complaint_reply("pension_adjustment", Facts(), "退休了社保养老金每年怎么调")
    assert reply.topic == "pension_adjustment"


@pytest.mark.parametrize(
    "text, months",
    [
        ("我怀孕四个月了 公司把我开除了", []),
        ("怀了5个月被辞退", []),
        ("我有三个月的身孕 老板让我走", []),
        ("孩子才两个月大 公司就不要我了", []),
        ("离职半年了 还能仲裁吗", []),
        ("辞工三个月了 工资还没结", []),
        ("干了两年 怀孕四个月被辞退", [24]),
        ("欠了我四个月工资", [4]),
    ],
)
@pytest.mark.unit
def test_a_pregnancy_or_time_since_leaving_is_not_time_worked(text, months):
    assert durations(text) == months


@pytest.mark.unit
def test_a_long_story_says_every_problem_and_fits_a_phone():
    reply = complaint_reply("work_injury", Facts(duration=24, location="重庆沙坪坝"), LONG_STORY)
    assert reply.text.startswith("您说了三件事：不给工资、工伤、没交社保。先说「工伤」")
    assert "工伤认定" in reply.text and "欠薪" in reply.text and "社保" in reply.text
    assert len(reply.text) <= PHONE_CHARS
    assert {b["title"] for b in reply.buttons} >= {"不给工资", "没交社保"}


@pytest.mark.unit
def test_cantonese_what_to_do_is_a_question():
    assert looks_like_a_question("老细冇俾人工 点算好")
    assert looks_like_a_question("啲人工点办")


# ---- end to end, through the real Rasa server and action server ------------------------------


def say(stack, sender, text):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200
    return "\n".join(m.get("text") or "" for m in reply.json())


def slot(stack, sender, name):
    events = stack.tracker_events(conversation_id(sender))
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else None


@pytest.mark.parametrize(
    "sender, text, category",
    [
        ("h2-dismissed", "公司突然把我辞退了 说是经营困难", "dismissal"),
        ("h2-typos", "老版欠我工姿三个月了 怎么版", "wage_arrears"),
    ],
)
@pytest.mark.stack
def test_the_case_is_filed_under_the_problem_the_worker_named(stack, sender, text, category):
    say(stack, sender, text)
    assert slot(stack, sender, "category") == category


@pytest.mark.stack
def test_a_pregnancy_is_not_recorded_as_the_time_worked(stack):
    reply = say(stack, "h2-pregnant", "我怀孕四个月了 公司把我开除了")
    assert "第四十二条" in reply and "时长" not in reply
    assert slot(stack, "h2-pregnant", "duration") is None


@pytest.mark.stack
def test_time_limit_after_leaving_is_answered(stack):
    reply = say(stack, "h2-limit", "我离职半年了 现在申请仲裁还来得及吗")
    assert "一年" in reply and "第二十七条" in reply
    assert "编号" not in reply and "时长" not in reply
    assert slot(stack, "h2-limit", "duration") is None


@pytest.mark.stack
def test_a_long_story_is_answered_for_each_problem(stack):
    reply = say(stack, "h2-long", LONG_STORY)
    assert "工伤认定" in reply and "欠薪" in reply and "社保" in reply


@pytest.mark.stack
def test_cantonese_what_to_do_gets_the_wages_answer(stack):
    reply = say(stack, "h2-cantonese", "老细冇俾人工 两个月了 点算好")
    assert "劳动保障监察" in reply or "劳动仲裁" in reply
    assert "转给工作人员" not in reply
