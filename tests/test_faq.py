"""The topic FAQ (bot/law/faq.yml) and how a worker's question finds its answer."""

import re
from collections import Counter

import pytest

from bot.dialogue.complaints import Facts, complaint_reply, question_reply
from bot.law import faq
from bot.topics import PROCEDURE, TOPICS

pytestmark = pytest.mark.unit


def test_every_topic_has_at_least_five_answers():
    per_topic = Counter(entry.topic for entry in faq.entries())
    assert set(per_topic) == set(TOPICS) | {PROCEDURE}
    assert min(per_topic.values()) >= 5


def test_keys_are_unique_and_answers_short():
    keys = [entry.key for entry in faq.entries()]
    assert len(keys) == len(set(keys))
    assert max(len(entry.answer) for entry in faq.entries()) <= 170
    # An answer that names an article must list it among its checked citations.
    article = re.compile(r"第[一二三四五六七八九十百零]+条")
    uncited = [e.key for e in faq.entries() if not e.citations and article.search(e.answer)]
    assert uncited == []


@pytest.mark.parametrize(
    "question,topic,key",
    [
        ("摔伤都四个月了还能去认定工伤吗", "work_injury", "work_injury/deadline"),
        ("工伤认定需要准备什么材料", "work_injury", "work_injury/materials"),
        ("试用期最长能定多久", "labor_contract", "labor_contract/probation"),
        ("公司不给交社保我能辞职要补偿吗", "social_insurance", "social_insurance/quit_over_no_insurance"),
        ("外卖小哥上班路上出车祸算工伤吗", "work_injury", "work_injury/commute"),
    ],
)
def test_questions_find_their_answer(question, topic, key):
    found = faq.match(question, topic)
    assert found is not None and found[0].key == key
    assert "《" in found[0].answer


def test_an_unrelated_question_gets_no_faq_answer():
    assert faq.match("今天天气怎么样", "overtime") is None


def test_a_narrative_is_not_taken_for_a_question():
    assert faq.answer_for("老板欠我两个月工资，一共八千", "wage_arrears") is None


def test_the_reply_carries_the_faq_answer_and_the_facts():
    reply = complaint_reply("work_injury", Facts(duration=4), "摔伤都四个月了还能去认定工伤吗")
    assert "4个月" in reply.text and "工伤保险条例" in reply.text and "1年" in reply.text
    assert "关于「" in reply.text


# --- retrieval across the whole FAQ (issue 14) ------------------------------------------------


def test_the_topic_is_a_prior_not_a_gate():
    """A wage question about the 支付令 finds it under dispute_procedure."""
    reply = complaint_reply("wage_arrears", Facts(), "欠工资能不能走支付令")
    assert reply.key == "dispute_procedure/payment_order"
    assert "支付令" in reply.text and "《劳动合同法》第三十条" in reply.text


def test_a_bereaved_family_gets_the_death_benefits_not_first_aid():
    reply = complaint_reply("work_injury", Facts(), "工亡的话家属能拿多少补助")
    assert reply.key == "work_injury/death_benefits"
    assert "丧葬补助金" in reply.text and "供养亲属抚恤金" in reply.text and "20倍" in reply.text
    assert "先治伤" not in reply.text


def test_every_entry_has_several_phrasings_and_its_title_finds_it():
    for entry in faq.entries():
        assert len(entry.questions) >= 3, entry.key
        hits = faq.rank(entry.title)
        assert hits[0].entry.key == entry.key, (entry.key, hits[0].entry.key)


def test_a_title_sent_back_by_a_button_is_answered():
    entry = faq.by_key("dispute_procedure/judicial_confirmation")
    reply = complaint_reply("labor_contract", Facts(), entry.title)
    assert reply.key == entry.key and f"关于「{entry.title}」" in reply.text


def test_two_close_answers_are_offered_as_buttons(monkeypatch):
    monkeypatch.setattr(faq, "CLOSE_RATIO", 0.0)  # any runner-up counts as close
    reply = complaint_reply("dismissal", Facts(), "被辞退能拿多少补偿")
    assert reply.kind == "choice" and "请点一个" in reply.text
    first, second = reply.buttons[:2]
    assert first["payload"] == first["title"] and second["payload"] != first["payload"]
    assert {first["title"], second["title"]} <= {e.title for e in faq.entries()}


def test_nothing_close_says_so_with_guidance_and_the_nearest_questions():
    reply = complaint_reply("overtime", Facts(), "公司年会抽奖的奖品要交税吗")
    assert reply.kind == "none"
    assert "没找到对得上的答案" in reply.text and "《劳动法》第四十四条" in reply.text
    assert any(b["payload"] in {e.title for e in faq.entries()} for b in reply.buttons)


def test_several_problems_are_named_and_the_asked_one_answered():
    reply = complaint_reply("labor_contract", Facts(), "没签合同，辞职后老板不给工资怎么办")
    assert reply.text.startswith("您说了两件事：没签合同、不给工资")
    assert reply.topic == "wage_arrears" and reply.key.startswith("wage_arrears/")
    assert "一次付清" in reply.text
    other = [b for b in reply.buttons if b["title"] == "没签合同"]
    assert other and faq.answer_for(other[0]["payload"]).key == "labor_contract/double_wages"


def test_a_procedure_question_is_answered_without_a_topic():
    reply = question_reply("dispute_procedure", "申请仲裁收费吗")
    assert reply.key == "dispute_procedure/fees" and "不收费" in reply.text and reply.topic is None


def test_an_unsure_intent_is_answered_only_when_the_faq_is_clear():
    assert question_reply("out_of_scope", "今天天气怎么样") is None
    assert question_reply("job_seeking", "有没有招聘会") is None
    reply = question_reply("out_of_scope", "竞业协议最多管几年")
    assert reply.key == "labor_contract/non_compete" and "两年" in reply.text
    assert reply.topic == "labor_contract"


def test_a_where_question_about_arbitration_gets_the_venue_rule():
    from bot.dialogue.answers import venue_note

    assert "履行地" in venue_note("劳动仲裁到底去哪里申请")
    assert venue_note("附近哪里有调解的地方") is None
