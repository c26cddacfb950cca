"""The topic FAQ (bot/law/faq.yml) and how a worker's question finds its answer."""
import re
from collections import Counter

import pytest

from bot.topics import TOPICS
from bot.dialogue.complaints import Facts, complaint_reply
from bot.law import faq


def test_every_topic_has_at_least_five_answers():
    per_topic = Counter(entry.topic for entry in faq.entries())
    assert set(per_topic) == set(TOPICS)
    assert min(per_topic.values()) >= 5


def test_keys_are_unique_and_answers_short():
    keys = [entry.key for entry in faq.entries()]
    assert len(keys) == len(set(keys))
    assert max(len(entry.answer) for entry in faq.entries()) <= 170
    # An answer that names an article must list it among its checked citations.
    uncited = [e.key for e in faq.entries() if not e.citations and re.search(r"第[一二三四五六七八九十百零]+条", e.answer)]
    assert uncited == []


@pytest.mark.parametrize("question,topic,key", [
    ("摔伤都四个月了还能去认定工伤吗", "work_injury", "work_injury/deadline"),
    ("工伤认定需要准备什么材料", "work_injury", "work_injury/materials"),
    ("试用期最长能定多久", "labor_contract", "labor_contract/probation"),
    ("公司不给交社保我能辞职要补偿吗", "social_insurance", "social_insurance/quit_over_no_insurance"),
    ("外卖小哥上班路上出车祸算工伤吗", "work_injury", "work_injury/commute"),
])
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
