"""Every statute article GongYou cites exists in the statute texts (../shared/law)."""

import re

import pytest

from bot.cases import clocks, wording
from bot.law import calculators, faq, guidance
from bot.law.calculators import chinese_numeral
from bot.stations import finder, routing
from tests.conftest import LAW_DIR

pytestmark = pytest.mark.unit


def all_citations():
    cited = set(guidance.all_citations()) | set(calculators.CITATIONS) | set(finder.CITATIONS) | set(wording.CITATIONS)
    cited |= set(clocks.CITATIONS)
    cited |= set(routing.CITATIONS)
    cited |= {c for entry in faq.entries() for c in entry.citations}
    return sorted((stem, int(article)) for stem, article, *_ in cited)


def statute_text(stem: str) -> str:
    matches = [p for p in LAW_DIR.glob("*.md") if p.stem.split("(")[0] == stem]
    assert len(matches) == 1, f"no single statute file for {stem} in {LAW_DIR}"
    return matches[0].read_text(encoding="utf-8")


def test_law_folder_is_there():
    assert LAW_DIR.is_dir(), f"statute texts expected at {LAW_DIR}"


@pytest.mark.parametrize("stem,article", all_citations())
def test_cited_article_exists(stem, article):
    text = statute_text(stem)
    assert re.search(rf"^第{chinese_numeral(article)}条", text, re.M), f"{stem} 第{article}条 not found"


def test_inline_mentions_are_listed_citations():
    """Every 《…》第…条 an FAQ answer names is among its checked citations."""
    for entry in faq.entries():
        for stem, numeral in re.findall(r"《([^》]+)》第([一二三四五六七八九十百零]+)条", entry.answer):
            listed = any(s == stem and chinese_numeral(a) == numeral for s, a in entry.citations)
            assert listed, (entry.key, stem, numeral)


def _texts_with_citations():
    """(where, text, citations) for every text that names articles inline."""
    for entry in faq.entries():
        yield entry.key, entry.answer, entry.citations
    for topic, g in guidance.GUIDANCE.items():
        yield f"guidance/{topic}", g.text, g.citations
    for i, text in enumerate(wording.all_texts()):
        yield f"wording/{i}", text, wording.CITATIONS


def test_inline_mentions_in_guidance_and_case_texts_are_listed_citations():
    for where, text, citations in _texts_with_citations():
        for stem, numeral in re.findall(r"《([^》]+)》第([一二三四五六七八九十百零]+)条", text):
            assert any(s == stem and chinese_numeral(a) == numeral for s, a in citations), (where, stem, numeral)


def test_an_article_of_the_form_n_zhi_yi_exists_as_named():
    """《刑法》第二百七十六条之一 is its own article: the plain-number check would also pass on §276."""
    found = 0
    for where, text, _ in _texts_with_citations():
        for stem, numeral in re.findall(r"《([^》]+)》第([一二三四五六七八九十百零]+)条之一", text):
            found += 1
            assert re.search(rf"^第{numeral}条之一 ", statute_text(stem), re.M), (where, stem, numeral)
    assert found, "the crime answer names 《刑法》第二百七十六条之一"


def test_numerals():
    assert [chinese_numeral(n) for n in (10, 17, 27, 47, 53, 83, 101, 110)] == [
        "十",
        "十七",
        "二十七",
        "四十七",
        "五十三",
        "八十三",
        "一百零一",
        "一百一十",
    ]
