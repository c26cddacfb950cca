"""Every statute article GongYou cites exists in the statute texts (../shared/law)."""
import re

import pytest

from bot.law.guidance import all_citations
from tests.conftest import LAW_DIR

CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else
                                  (CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else "")))
    return CN_DIGITS[hundreds] + "百" + tail


def statute_text(stem: str) -> str:
    matches = [p for p in LAW_DIR.glob("*.md") if p.name.split("(")[0] == stem]
    assert len(matches) == 1, f"no single statute file for {stem} in {LAW_DIR}"
    return matches[0].read_text(encoding="utf-8")


def test_law_folder_is_there():
    assert LAW_DIR.is_dir(), f"statute texts expected at {LAW_DIR}"


@pytest.mark.parametrize("stem,article", all_citations())
def test_cited_article_exists(stem, article):
    text = statute_text(stem)
    assert re.search(rf"^第{chinese_numeral(article)}条", text, re.M), f"{stem} 第{article}条 not found"


def test_numerals():
    assert [chinese_numeral(n) for n in (10, 17, 27, 47, 53, 83, 101, 110)] == \
        ["十", "十七", "二十七", "四十七", "五十三", "八十三", "一百零一", "一百一十"]
