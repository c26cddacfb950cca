"""What a worker's reply to a return visit means: the plain rules of bot/followups/answers.py
against every phrasing in data/nlu/followups.yml, and the texts GongYou answers with."""

import re
from pathlib import Path

import pytest
import yaml

from bot.followups import answers, texts
from bot.law.calculators import chinese_numeral
from tests.conftest import LAW_DIR

pytestmark = pytest.mark.unit

FILE = Path(__file__).resolve().parents[1] / "data" / "nlu" / "followups.yml"
MEANING = {"affirm": answers.PAID, "deny": answers.MISSING, "inform": answers.PARTIAL}


def examples():
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield block["intent"], line.strip()[2:]


@pytest.mark.parametrize("intent,text", list(examples()))
def test_every_training_phrasing_means_what_its_intent_says(intent, text):
    assert answers.payment(text) == MEANING[intent]


@pytest.mark.parametrize(
    "text,meaning",
    [
        ("收到了", answers.PAID),
        ("没有", answers.MISSING),
        ("只收到一半", answers.PARTIAL),
        ("没收到啊", answers.MISSING),
        ("还差两千没给", answers.PARTIAL),
        ("是的", answers.PAID),
        ("好的", None),  # an acknowledgement is not a confirmation that the money came
        ("我想问问仲裁的事", None),
        ("", None),
        ("收到" * 40, None),  # a long message is something else, Rasa answers it
    ],
)
def test_answers_outside_the_training_file(text, meaning):
    assert answers.payment(text) == meaning


@pytest.mark.parametrize("text,score", [("5", 5), ("４分", 4), ("三", 3), ("1星", 1), ("6", None), ("很好", None)])
def test_rating(text, score):
    assert answers.rating(text) == score


def test_no_comment():
    assert answers.no_comment("没有") and answers.no_comment("不用了") and not answers.no_comment("调解员很耐心")


def test_every_article_the_texts_name_is_listed_and_exists():
    named = set()
    for text in texts.all_texts():
        for law, article in re.findall(r"《([^》]+)》第([一二三四五六七八九十百]+)条", text):
            named.add((law, article))
    listed = {(law, chinese_numeral(n)) for law, n in texts.CITATIONS}
    assert named and named <= listed
    for law, n in texts.CITATIONS:
        statute = [p for p in LAW_DIR.glob("*.md") if p.stem.split("(")[0] == law]
        assert len(statute) == 1 and re.search(rf"^第{chinese_numeral(n)}条", statute[0].read_text(), re.M)


@pytest.mark.parametrize("category", ["wage_arrears", "dismissal", "work_injury", "pension_adjustment"])
def test_an_unpaid_instalment_says_what_comes_next_for_the_category(category):
    said = texts.unpaid(2, category)
    assert "第二期" in said
    if category == "pension_adjustment":
        assert "行政复议" in said and "仲裁" not in said
    else:
        assert "支付令" in said and "司法确认" in said and "劳动保障监察" in said and "仲裁" in said


def test_notices_name_the_case_and_the_referral_target():
    assert texts.status_notice("GY20261130-0001", "accepted", "wage_arrears").startswith(
        "服务站已受理您的案件GY20261130-0001"
    )
    assert "人民检察院" in texts.status_notice("GY20261130-0001", "referred", "wage_arrears", "procuratorate")
    closed = texts.status_notice("GY20261130-0001", "closed", "pension_adjustment")
    assert "行政复议" in closed and "可以申请劳动仲裁" not in closed
