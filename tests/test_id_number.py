"""The ID number's check digit (GB 11643-1999), what it tells a document, and how it is shown."""

from datetime import date

import pytest

from bot.cases import id_number
from bot.cases.lifecycle import InvalidCase, validate_draft
from bot.privacy import mask_text

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 30)


def with_check(first17: str) -> str:
    """A number completed by the standard's own rule, written out here independently of the module."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",
        with_check("50023719800615123"),
        with_check("36020219951108004"),
        with_check("44052419800101001"),
    ],
)
def test_numbers_with_their_check_digit_pass(number):
    assert id_number.valid(number, TODAY)
    assert id_number.check(number, TODAY) == (number, None)


def test_the_weights_are_the_standards():
    assert [2 ** (17 - i) % 11 for i in range(17)] == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize("last", [c for c in "0123456789X" if c != "X"])
def test_every_wrong_check_digit_is_refused(last):
    number, problem = id_number.check("11010519491231002" + last, TODAY)
    assert number is None and "校验码" in problem


def test_one_mistyped_digit_is_caught():
    good = with_check("50023719800615123")
    typo = good[:8] + str((int(good[8]) + 1) % 10) + good[9:]
    assert not id_number.valid(typo, TODAY)


@pytest.mark.parametrize(
    "written", ["1101 0519 4912 3100 2x", "１１０１０５１９４９１２３１００２Ｘ", "110105-19491231-002X"]
)
def test_spaces_full_width_digits_and_a_small_x_are_read(written):
    assert id_number.check(written, TODAY) == ("11010519491231002X", None)


@pytest.mark.parametrize("written,length", [("1101051949123100", 16), ("12345", 5), ("", 0)])
def test_a_wrong_length_says_how_many_were_typed(written, length):
    number, problem = id_number.check(written, TODAY)
    assert number is None and f"{length}位" in problem


def test_an_impossible_or_future_birth_date_is_refused():
    assert not id_number.valid(with_check("11010519491332002"), TODAY)  # month 13
    assert not id_number.valid(with_check("11010520270101002"), TODAY)  # born next year


def test_sex_and_age_come_from_the_number():
    woman = with_check("50023719800615122")  # 17th digit even
    man = with_check("50023719800615123")
    assert id_number.sex(woman) == "女" and id_number.sex(man) == "男"
    assert id_number.age(man, date(2026, 6, 14)) == 45 and id_number.age(man, date(2026, 6, 15)) == 46


def test_masked_like_the_logs_mask_it():
    number = "11010519491231002X"
    assert id_number.masked(number) == "110105********002X"
    assert mask_text(f"身份证{number}") == f"身份证{id_number.masked(number)}"


def test_a_draft_with_a_wrong_check_digit_is_refused():
    consent = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}
    with pytest.raises(InvalidCase) as refused:
        validate_draft({"category": "wage_arrears", "id_number": "110105194912310021", "consent": consent})
    assert refused.value.field == "id_number"
    draft = validate_draft({"category": "wage_arrears", "id_number": "11010519491231002x", "consent": consent})
    assert draft.id_number == "11010519491231002X"
