"""Hear the whole message and sound like a person (issue 15): every problem in a message is named
and taken one after another, ordinary sentences are understood, a named district's stations come
first, and replies open kindly once, then get to the point on a phone-sized screen."""

import re

import pytest
import requests
import yaml

from bot.channels.rest import conversation_id
from bot.dialogue import fallback
from bot.dialogue.complaints import OPENINGS, Facts, complaint_reply, worded_complaint
from bot.dialogue.problems import mentioned
from bot.stations.locate import locate_text
from tests.conftest import ROOT

RIDER = "我是送外卖的 被扣钱了还出了车祸 咋办啊"

# About 2,000 characters, as a worker tells it in one go: the arrears first, the injury and the
# missing social insurance only in the second half (past what the classifier reads).
_BACKGROUND = (
    "我是四川达州人，今年四十三了，家里两个娃读书，老婆在老家种地照顾老人。前年腊月经老乡介绍到重庆这边一个厂里做冲压，"
    "每天早上七点半上班，晚上八点多才下班，中午吃饭半个钟头，一个月就休两天。刚去的时候说好一个月六千，计件另算，"
    "包吃不包住，我在外面跟两个工友合租了一间房，一个月房租六百。头几个月工资都是按时打的，虽然晚几天也能拿到。"
    "车间主任姓何，人还算好说话，有啥事都是他跟老板传话。厂里大概六十多个人，大部分都是外地来的，好多是老乡带老乡。"
)
_DAYS = (
    "平时我们住的地方离厂子有四站路，早上挤公交，晚上下班了公交没了就走回去，路上买两个馒头对付一下。"
    "周末偶尔跟老乡去江边坐坐，打个电话回家，娃问我啥时候回去，我都说快了快了。车间里夏天热得很，"
    "风扇就两台，冬天又冷，手冻得发木，好多人手上都是口子。厂里的规矩多，迟到五分钟扣五十，"
    "上厕所久了组长都要说。我们也没办法，出来打工就是为了多挣点，想着忍一忍就过去了。"
    "老乡里头有个小伙子干了三个月就走了，说这边钱不好拿，我还劝他再坚持一下，现在想想还是他看得准。"
)
_ARREARS = (
    "从去年八月开始，厂里说订单少了，资金周转不过来，工资就开始拖，先是说月底发，后来又说过年一起结，"
    "到现在老板欠了我五个月的工资，加起来差不多三万块，问他要他就说再等等，说别的厂也是这样。"
)
_INJURY = (
    "今年三月份有一天加夜班，机器的保护罩坏了好久一直没修，我的右手被冲床压伤了，两根手指骨折，在医院住了十几天，"
    "医药费都是我自己先垫的，花了一万多，老板只来看过一次，说等厂里缓过来再说。出院以后我去问能不能算工伤，"
    "管人事的说我们这些人厂里根本没买社保，也没签过合同，让我自己想办法。"
)
_ASK = (
    "现在手还使不上劲，干不了重活，房租都快交不起了。我想问问，像我这种情况到底该先做什么，钱能不能要回来，"
    "手伤能不能算工伤，厂里不给买社保又该找哪里？"
)
LONG_STORY = _BACKGROUND + _DAYS + _ARREARS + _DAYS + _BACKGROUND + _DAYS + _INJURY + _DAYS + _BACKGROUND + _ASK


def is_opening(line):
    return any(re.fullmatch(re.escape(o).replace(re.escape("{}"), ".+"), line) for o in OPENINGS)


@pytest.mark.unit
def test_a_rider_names_both_the_deduction_and_the_crash():
    labels = [p.label for p in mentioned(RIDER)]
    assert len(labels) == 2 and "扣钱" in labels[0] and "受伤" in labels[1]


@pytest.mark.unit
def test_the_riders_crash_is_answered_as_a_crash_not_as_the_fine():
    """Both problems are the platform's topic: the topic alone would answer the fine twice."""
    reply = complaint_reply("platform_work", Facts(), RIDER)
    assert reply.text.startswith("您说了两件事：被扣钱、送单受伤。先说「送单受伤」")
    assert "工伤认定" in reply.text and "第十五条" not in reply.text
    assert [b["title"] for b in reply.buttons][0] == "被扣钱"


@pytest.mark.unit
def test_which_first_puts_the_injury_first():
    """ "不知道先弄哪一个": the injury's 认定 has a time limit (工伤保险条例 §17), the others wait."""
    text = "四个月工资一直没发，上个月手被冲床压伤了，公司也没给交社保，不知道该先弄哪一个"
    reply = complaint_reply("wage_arrears", Facts(), text)
    assert reply.text.startswith("您说了三件事：不给工资、工伤、没交社保。先说「工伤」")
    assert "工伤认定" in reply.text
    assert {b["title"] for b in reply.buttons} >= {"不给工资", "没交社保"}


@pytest.mark.unit
def test_a_long_story_names_arrears_injury_and_social_insurance():
    assert 1800 <= len(LONG_STORY) <= 2000 and LONG_STORY.index("压伤") > 1000
    topics = {p.topic for p in mentioned(LONG_STORY)}
    assert {"wage_arrears", "work_injury", "social_insurance"} <= topics


@pytest.mark.unit
def test_a_sum_owed_and_a_place_is_a_wage_complaint():
    reply = worded_complaint("老板欠我5000块 在渝中区", Facts(amount=5000, location="渝中区"))
    assert reply is not None and reply.topic == "wage_arrears"
    assert "5000" in reply.text and "渝中区" in reply.text


@pytest.mark.parametrize(
    "text, must",
    [
        ("中建八局的项目 包工头跑了", "保障农民工工资支付条例"),
        ("其实我还想回去上班 等生完孩子 可以吗", "第四十八条"),
    ],
)
@pytest.mark.unit
def test_plain_words_name_the_problem(text, must):
    reply = worded_complaint(text, Facts())
    assert reply is not None and must in reply.text


@pytest.mark.parametrize("text", ["老细冇俾人工两个月", "公司拖粮三个月了"])
@pytest.mark.unit
def test_cantonese_unpaid_wages_are_named(text):
    assert [p.topic for p in mentioned(text)] == ["wage_arrears"]


@pytest.mark.unit
def test_the_kind_opening_is_said_once_and_not_always_the_same():
    texts = [
        "老板欠了两个月工资",
        "工资拖了半年了",
        "包工头欠钱不给",
        "厂里三个月没发钱",
        "欠薪怎么办啊",
        "工钱一直不结",
    ]
    firsts = [complaint_reply("wage_arrears", Facts(), t).text.split("\n")[0] for t in texts]
    assert len(set(firsts)) >= 3
    assert all(is_opening(line) for line in firsts)
    for t in texts:
        later = complaint_reply("wage_arrears", Facts(), t, first=False).text
        assert not is_opening(later.split("\n")[0]) and "接下来您想怎么办" not in later


@pytest.mark.unit
def test_answers_fit_a_phone_screen():
    """The held-out questions' answers: none longer than a phone shows without much scrolling."""
    questions = yaml.safe_load((ROOT / "tests" / "data" / "answers_heldout.yml").read_text(encoding="utf-8"))
    lengths = []
    for q in questions:
        for first in (True, False):
            reply = complaint_reply(q.get("topic") or "wage_arrears", Facts(), q["q"], first)
            lengths.append(len(reply.text))
    assert max(lengths) <= 340


@pytest.mark.unit
def test_a_retiree_is_not_offered_unpaid_wages_first():
    topic = fallback.conversation_topic(None, ["nlu_fallback", "greet"], ["嗯", "我退休好几年了"])
    text, buttons = fallback.not_understood(topic)
    assert buttons[0]["payload"] == "/pension_adjustment" and "工资" not in text
    assert fallback.not_understood(None)[1][0]["payload"] == "/wage_arrears"


@pytest.mark.unit
def test_labour_inspection_in_banan_lists_banan_first():
    from tests.test_stations import finder

    cards = finder().nearby(locate_text("巴南"), None, asked="劳动监察在哪里 巴南的")
    assert cards[0]["district_code"] == "500113"
    assert any(c["kind"] == "人社局/劳动保障监察" for c in cards)


# ---- end to end, through the real Rasa server and action server ----


def say(stack, sender, text, **extra):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text, **extra}, timeout=60
    )
    assert reply.status_code == 200
    return reply.json()


def words(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def buttons(messages):
    return [b for m in messages for b in m.get("buttons") or []]


@pytest.mark.stack
def test_rider_hears_both_problems_one_after_the_other(stack):
    messages = say(stack, "whole-rider", RIDER)
    reply = words(messages)
    assert "扣钱" in reply and "受伤" in reply and "工伤认定" in reply
    other = [b for b in buttons(messages) if b["title"] == "被扣钱"]
    assert other, "the other problem is offered as a button"
    follow = words(say(stack, "whole-rider", other[0]["payload"]))
    assert "罚款" in follow or "扣" in follow


@pytest.mark.stack
def test_a_long_message_names_all_three_problems(stack):
    reply = words(say(stack, "whole-long", LONG_STORY))
    first = reply.split("\n")[0]
    assert "工资" in first and "工伤" in first and "社保" in first


@pytest.mark.parametrize(
    "sender, text, must, must_not",
    [
        ("whole-gc", "总包公司不给钱怎么办", ["总承包", "第三十条"], ["帮不上忙"]),
        ("whole-zj", "中建八局的项目 包工头跑了", ["保障农民工工资支付条例"], ["没太明白"]),
        ("whole-reps", "我们十几个工友 是一起去还是各告各的", ["代表", "第七条"], ["机器人"]),
        ("whole-5000", "老板欠我5000块 在渝中区", ["5000", "渝中区"], ["还有别的情况想补充"]),
        ("whole-back", "其实我还想回去上班 等生完孩子 可以吗", ["第四十八条", "第四十二条"], ["帮不上忙"]),
    ],
)
@pytest.mark.stack
def test_ordinary_sentences_are_understood(stack, sender, text, must, must_not):
    reply = words(say(stack, sender, text))
    assert all(m in reply for m in must), reply
    assert not any(m in reply for m in must_not), reply


@pytest.mark.stack
def test_a_vanished_foreman_is_taken_as_unpaid_wages(stack):
    """Understood as the wages complaint, so a case opened next is filed under it."""
    reply = words(say(stack, "whole-foreman", "中建八局的项目 包工头跑了"))
    assert "总承包" in reply or "保障农民工工资支付条例" in reply
    events = stack.tracker_events(conversation_id("whole-foreman"))
    slots = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "category"]
    assert slots and slots[-1] == "wage_arrears"


@pytest.mark.stack
def test_labour_inspection_in_banan_is_found_in_banan(stack):
    messages = say(stack, "whole-banan", "劳动监察在哪里 巴南的")
    cards = [m["custom"]["stations"] for m in messages if "custom" in m]
    assert cards and "巴南" in cards[0][0]["name"] + cards[0][0]["address"]
    assert "巴南" in words(messages)


@pytest.mark.stack
def test_a_bare_neighbourhood_answers_where_are_you(stack):
    asked = words(say(stack, "whole-yudong", "最近的服务站在哪"))
    assert "哪个区县" in asked
    messages = say(stack, "whole-yudong", "鱼洞")
    cards = [m["custom"]["stations"] for m in messages if "custom" in m]
    assert cards and cards[0][0]["district_code"] == "500113"


@pytest.mark.stack
def test_the_kind_opening_is_said_only_at_the_start(stack):
    first = words(say(stack, "whole-twice", "老板欠了我两个月工资"))
    second = words(say(stack, "whole-twice", "我被公司辞退了"))
    assert is_opening(first.split("\n")[0]) and "接下来您想怎么办" in first
    assert not is_opening(second.split("\n")[0]) and "接下来您想怎么办" not in second


@pytest.mark.stack
def test_a_retiree_who_is_not_understood_is_offered_pension_first(stack):
    say(stack, "whole-retiree", "我退休了")
    messages = say(stack, "whole-retiree", "🤔🤔")
    offered = buttons(messages)
    assert offered and offered[0]["payload"] != "/wage_arrears"
    assert offered[0]["payload"] == "/pension_adjustment"


@pytest.mark.unit
def test_one_named_problem_is_not_answered_from_another_topic():
    """ "好几个月" made this a question and the injury deadline's "几个月" its answer."""
    reply = complaint_reply("wage_arrears", Facts(), "厂里好几个月没发工资了")
    assert reply.topic == "wage_arrears" and "工伤" not in reply.text
