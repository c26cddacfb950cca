import pytest

from bot.text.cleaning import DEFAULT_MAX_CHARS, clean_for_parse, normalise_script

pytestmark = pytest.mark.unit


def test_traditional_becomes_simplified_in_place():
    text = "老闆欠我兩個月薪資，勞動合同也沒簽"
    cleaned = normalise_script(text)
    assert cleaned == "老板欠我两个月薪资,劳动合同也没签"  # full-width punctuation → ASCII
    assert len(cleaned) == len(text)


def test_full_width_digits_become_ascii():
    assert normalise_script("欠我８０００块") == "欠我8000块"


def test_control_characters_and_zero_width_go():
    assert clean_for_parse("欠\x00薪\u200b了\x1b") == "欠薪了"


def test_lone_surrogates_do_not_survive():
    cleaned = clean_for_parse("工资\ud800没发")
    cleaned.encode("utf-8")  # would raise if a surrogate were left
    assert cleaned == "工资没发"


def test_spaces_between_chinese_are_dropped_but_not_between_words():
    assert clean_for_parse("老板  欠我   工资") == "老板欠我工资"
    assert clean_for_parse("HR  说  ok") == "HR 说 ok"


def test_long_text_is_cut():
    assert len(clean_for_parse("欠" * 100_000)) == DEFAULT_MAX_CHARS


def test_empty_stays_empty():
    assert clean_for_parse("") == "" and clean_for_parse("   \n ") == ""


def test_offsets_point_back_into_the_original():
    from bot.text.cleaning import clean_with_offsets

    source = "  老闆 欠我\x00 8000 塊  "
    text, offsets = clean_with_offsets(source)
    assert text == "老板欠我 8000 块"
    assert "".join(source[i] for i in offsets).replace("\x00", " ") == "老闆欠我 8000 塊"
