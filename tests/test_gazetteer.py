"""The spaCy place gazetteer that `make gazetteer` builds, loaded as Rasa loads it."""

import jieba
import pytest
import spacy

from bot.places.gazetteer import Place, alias_table, aliases
from tests.conftest import BUILD

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def nlp():
    for path in sorted((BUILD / "jieba").iterdir()):
        jieba.load_userdict(str(path))
    return spacy.load(BUILD / "zh_places")


def places(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    "text,place",
    [
        ("我在渝中区上班", "渝中区"),
        ("在沙坪坝上班", "沙坪坝"),
        ("巫溪县一家鞋厂", "巫溪县"),
        ("景德镇的老板", "景德镇"),
        ("我在景德镇高新区", "景德镇高新区"),
        ("去陶溪川那边", "陶溪川"),
        ("北京朝阳区", "朝阳区"),
        ("深圳宝安区的电子厂", "宝安区"),
    ],
)
def test_places_are_tagged(nlp, text, place):
    assert (place, "location") in places(nlp, text)


def test_a_street_named_after_a_province_is_not_the_province(nlp):
    assert ("浙江", "location") not in places(nlp, "我在浙江路的火锅店上班")


@pytest.mark.parametrize(
    "text", ["朝阳产业工资高", "城关那边", "和平解决就好", "试用期被延长了", "可以合作吗", "比如说加班"]
)
def test_common_words_are_not_places(nlp, text):
    assert places(nlp, text) == []


def test_ambiguous_names_keep_every_place():
    assert len(alias_table()["朝阳区"]) == 2  # Beijing and Changchun


def test_aliases_strip_the_suffix_but_not_to_a_common_word():
    assert list(aliases(Place("沙坪坝区", "500106000000", "county"))) == ["沙坪坝区", "沙坪坝"]
    assert list(aliases(Place("朝阳区", "110105000000", "county"))) == ["朝阳区"]
    assert list(aliases(Place("广西壮族自治区", "450000000000", "province"))) == ["广西壮族自治区", "广西"]
