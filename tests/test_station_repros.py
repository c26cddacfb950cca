"""Station failures of the conversation bench (issue 15, c42 c43 c45 c47): no station beyond 50 km is
listed as near whatever its kind, the worker's own district comes first, a bare neighbourhood answers
"where?", and a one-character typo that spells another place (沙平坝 → 平坝区, in 贵州) is read right."""

import pytest
import requests
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import SOURCE, EntityNormaliser
from bot.stations.finder import FAR_KM, StationFinder, serves
from bot.stations.locate import FOUND, locate_text, only_a_place
from bot.stations.parsing import parse
from bot.stations.store import DEMO_FILE


@pytest.fixture(scope="module")
def finder():
    return StationFinder(lambda: parse(DEMO_FILE))


def search(finder, text, topic=None):
    where = finder.where(text)
    return where, finder.nearby(where, topic, asked=text)


@pytest.mark.unit
def test_c42_labour_inspection_for_banan_lists_nothing_far_and_banan_first(finder):
    where, cards = search(finder, "劳动监察在哪里 巴南的")
    assert cards and all(c["km"] <= FAR_KM for c in cards), [(c["name"], c["km"]) for c in cards]
    assert "巴南" in cards[0]["name"]
    # The inspection office nearby is still listed, after the worker's own district.
    assert "人社局/劳动保障监察" in [c["kind"] for c in cards]


@pytest.mark.unit
def test_c45_social_insurance_in_jingdezhen_does_not_list_chongqing(finder):
    where, cards = search(finder, "我在景德镇珠山区 附近哪里能问社保的事")
    assert [c["id"] for c in cards] == ["jdz-shebao"]


@pytest.mark.parametrize("topic", [None, "pension_adjustment", "work_injury", "wage_arrears", "dismissal"])
@pytest.mark.parametrize("place", ["巴南", "景德镇珠山区", "巫溪县", "沙坪坝区"])
@pytest.mark.unit
def test_no_card_beyond_50_km_for_any_topic(finder, place, topic):
    where, cards = search(finder, place, topic)
    assert all(c["km"] <= FAR_KM for c in cards)


@pytest.mark.unit
def test_a_district_is_served_by_its_own_station_and_its_citys():
    stations = {s.id: s for s in parse(DEMO_FILE)}
    assert serves(stations["cq-banan-union"], "500113000000")
    assert serves(stations["cq-shebao"], "500113000000")  # 重庆市's agency serves 巴南
    assert serves(stations["jdz-shebao"], "360203000000")
    assert not serves(stations["cq-yuzhong-hrss"], "500113000000")


@pytest.mark.parametrize("text", ["沙平坝区的工会服务站在哪里", "沙平坝的工会"])
@pytest.mark.unit
def test_c47_a_typo_that_spells_another_place_is_read_as_the_meant_one(finder, text):
    where = locate_text(text)
    assert where.status == FOUND and where.code.startswith("500106") and where.corrected
    # The NLU may pick out only 平坝区: the whole message's reading wins.
    assert finder.where("平坝区", text).code.startswith("500106")
    assert "沙坪坝" in search(finder, text)[1][0]["name"]


@pytest.mark.parametrize("text, code", [("我在平坝区", "520403"), ("北京朝阳区", "110105"), ("长沙岳麓区", "430104")])
@pytest.mark.unit
def test_real_names_are_not_read_as_typos(text, code):
    where = locate_text(text)
    assert where.code.startswith(code) and not where.corrected


@pytest.mark.parametrize("text", ["龙洲湾", "我在巴南", "渝中区解放碑这边", "重庆"])
@pytest.mark.unit
def test_a_bare_place_is_an_answer(text):
    assert only_a_place(text)


@pytest.mark.parametrize("text", ["好的", "是的", "对", "不是", "谢谢", "你好", "没问题", "老板欠钱 巴南", "可以"])
@pytest.mark.unit
def test_small_talk_is_not_a_place(text):
    assert not only_a_place(text)


@pytest.mark.unit
def test_c43_a_bare_place_the_classifier_took_for_affirm_becomes_inform():
    def heard(text, intent):
        message = Message({TEXT: text})
        message.set(SOURCE, (text, list(range(len(text)))))
        message.set(INTENT, {"name": intent, "confidence": 0.4})
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.4}])
        EntityNormaliser({}).process([message])
        return message.get(INTENT)["name"], message.get(INTENT_RANKING_KEY)[0]["name"]

    assert heard("龙洲湾", "affirm") == ("inform", "inform")
    assert heard("好的", "affirm") == ("affirm", "affirm")
    assert heard("巴南", "find_station") == ("find_station", "find_station")


def say(stack, sender, text, **extra):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text, **extra}, timeout=60
    )
    assert reply.status_code == 200
    return reply.json()


def cards(messages):
    return [c for m in messages if "custom" in m for c in m["custom"].get("stations", [])]


@pytest.mark.parametrize(
    "sender, turns, district, max_km",
    [
        ("c42", ["劳动监察在哪里 巴南的"], "巴南", 40),
        ("c43", ["最近的服务站在哪", "龙洲湾"], "巴南", 40),
        ("c45", ["我在景德镇珠山区 附近哪里能问社保的事"], "景德镇", 30),
        ("c47", ["沙平坝区的工会服务站在哪里"], "沙坪坝", 30),
    ],
)
@pytest.mark.stack
def test_bench_station_conversations_through_rest(stack, sender, turns, district, max_km):
    for text in turns:
        messages = say(stack, f"repro-{sender}", text)
    shown = cards(messages)
    assert shown, messages
    assert district in shown[0]["name"] + shown[0]["address"]
    assert all(c["km"] <= max_km for c in shown), [(c["name"], c["km"]) for c in shown]
