"""The merge of extractor hits into one list (bot/nlu/entities.py), without a model."""

import pytest

from bot.nlu.entities import resolve_entities

pytestmark = pytest.mark.unit


def values(text, found=()):
    return [(e["entity"], e["value"]) for e in resolve_entities(text, list(found))]


def hit(text, span, entity, extractor="DIETClassifier"):
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": span, "extractor": extractor}


def test_rules_find_and_normalise_figures():
    text = "我们16个工人被拖欠了3个多月的工资，总共12万"
    assert values(text) == [("worker_count", 16), ("duration", 3), ("amount", 120000)]


def test_contract_example_sentence():
    assert values("老板欠我两个月工资，一共八千") == [("duration", 2), ("amount", 8000)]


def test_years_and_dates_are_not_durations():
    assert values("2019年进厂，去年11月走的") == []
    assert values("孩子上三年级") == []


def test_tenure_in_years_is_a_duration():
    assert ("duration", 36) in values("在厂里干了三年")


def test_phones_found_in_text():
    assert values("我电话13812345678，座机023-63801234") == [("phone", "13812345678"), ("phone", "02363801234")]


def test_ten_digit_number_is_not_a_phone():
    assert [v for v in values("电话1381234567") if v[0] == "phone"] == []


def test_place_followed_by_road_becomes_the_street():
    text = "我在浙江路的火锅店上班"
    assert values(text, [hit(text, "浙江", "location", "SpacyEntityExtractor")]) == [("location", "浙江路")]


def test_adjacent_places_are_one_place():
    text = "我在重庆市渝中区打工"
    found = [
        hit(text, "重庆市", "location", "SpacyEntityExtractor"),
        hit(text, "渝中区", "location", "SpacyEntityExtractor"),
    ]
    assert values(text, found) == [("location", "重庆市渝中区")]


def test_overlap_keeps_the_longest_span():
    text = "那家重庆火锅店欠我工资"
    found = [hit(text, "那家重庆火锅店", "employer"), hit(text, "重庆", "location", "SpacyEntityExtractor")]
    assert values(text, found) == [("employer", "那家重庆火锅店")]


def test_learned_numeric_hit_without_a_number_is_dropped():
    text = "老板就是不给钱"
    assert values(text, [hit(text, "老板", "amount")]) == []


def test_punctuation_is_trimmed_from_spans():
    text = "单位是「某鞋业公司」"
    assert values(text, [hit(text, "「某鞋业公司」", "employer")]) == [("employer", "某鞋业公司")]


def test_out_of_range_offsets_are_ignored():
    assert values("欠薪", [{"entity": "amount", "start": 5, "end": 9, "value": "x"}]) == []


def test_learned_place_that_swallowed_a_verb_gives_way_to_the_gazetteer():
    text = "我在成都交了八年社保"
    found = [hit(text, "成都交了", "location"), hit(text, "成都", "location", "SpacyEntityExtractor")]
    assert ("location", "成都") in values(text, found)


def test_registered_company_names_are_employers():
    assert ("employer", "鑫鑫建筑劳务有限公司") in values("鑫鑫建筑劳务有限公司")
    assert ("employer", "重庆某建筑劳务有限公司") in values("我在重庆某建筑劳务有限公司干活")


def test_places_are_given_back_as_the_user_wrote_them():
    from bot.text.cleaning import clean_with_offsets

    source = "我在 沙坪壩 上班"
    text, offsets = clean_with_offsets(source)
    assert text == "我在沙坪坝上班"
    found = [hit(text, "沙坪坝", "location", "SpacyEntityExtractor")]
    resolved = resolve_entities(text, found, source, offsets)
    assert [(e["entity"], e["value"]) for e in resolved] == [("location", "沙坪壩")]


def test_anonymised_and_branded_employers():
    assert ("employer", "某餐饮管理有限公司") in values("本人于今年3月入职某餐饮管理有限公司，至今五个月")
    assert ("employer", "某装饰工程公司") in values("去年入职某装饰工程公司做油漆")
    assert ("employer", "XX物流公司") in values("在XX物流公司干了两年")
    assert ("employer", "金鹏物业") in values("我要投诉金鹏物业")
    assert ("employer", "鸿运建筑公司") in values("对方是鸿运建筑公司")
    assert [v for v in values("我在外面建筑工地干活") if v[0] == "employer"] == []


def test_bare_figures_after_money_words():
    assert ("amount", 50) in values("被差评扣了我五十")
    assert ("amount", 3800) in values("我每个月才挣3800")
    assert [v for v in values("扣了我三次") if v[0] == "amount"] == []


def test_colloquial_months():
    assert ("duration", 2) in values("入职俩月了")


def test_a_place_before_a_trade_is_not_a_brand():
    text = "俺在郑州电子厂干活"
    assert values(text, [hit(text, "郑州", "location", "SpacyEntityExtractor")]) == [("location", "郑州")]


# The case's amount is what is owed; a figure the boss already paid goes when another is named.
@pytest.mark.parametrize(
    "text,owed",
    [
        ("最近四个月的工资一直没发，一共欠了两万多。上个月手被压伤了，老板只给了五百块医药费就不管了", [20000]),
        ("老板发了3000 还欠我5000", [5000]),
        ("他赔了我们一千块路费，工资还差一万二没给", [12000]),
        ("老板给了500块就不管了", [500]),  # the only figure: kept, the intake asks to confirm it
        ("欠了我三千，还欠我哥五千", [3000, 5000]),
    ],
)
def test_money_already_paid_is_not_the_amount_owed(text, owed):
    assert [e["value"] for e in resolve_entities(text, []) if e["entity"] == "amount"] == owed
