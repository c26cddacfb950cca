"""The rules of a case after the draft (contract §6), checked without a database."""

from datetime import date

import pytest

from bot.cases import outcomes
from bot.cases.outcomes import Instalment, MoveRefused, check_move
from bot.topics import TOPICS

pytestmark = pytest.mark.unit


def test_the_seeds_story_is_a_possible_path():
    path = ["draft", "accepted", "mediating", "mediation_failed", "referred", "agreement", "closed"]
    for here, there in zip(path, path[1:]):
        assert there in outcomes.moves_from(here, "wage_arrears"), (here, there)


@pytest.mark.parametrize("category", TOPICS)
def test_nothing_leaves_closed_or_withdrawn(category):
    assert outcomes.moves_from("closed", category) == outcomes.moves_from("withdrawn", category) == frozenset()


def test_a_pension_case_never_goes_to_labour_mediation_or_arbitration():
    assert "mediating" not in outcomes.moves_from("accepted", "pension_adjustment")
    assert "arbitration" not in outcomes.referral_targets("pension_adjustment")
    with pytest.raises(MoveRefused, match="社会保险法"):
        check_move("accepted", "mediating", "pension_adjustment", {})
    with pytest.raises(MoveRefused):
        check_move("accepted", "referred", "pension_adjustment", {"to": "arbitration"})
    assert check_move("accepted", "referred", "pension_adjustment", {"to": "court"})["to"] == "court"


def test_an_agreement_needs_its_instalments_checked_and_in_order():
    extra = check_move(
        "mediating",
        "agreement",
        "wage_arrears",
        {"instalments": [{"amount": 2000, "due": "2027-01-15"}, {"amount": "3000", "due": "2026-12-15"}]},
    )
    assert extra["instalments"] == [Instalment(3000.0, date(2026, 12, 15)), Instalment(2000.0, date(2027, 1, 15))]
    for bad in (
        None,
        [],
        [{"amount": -5, "due": "2026-12-15"}],
        [{"amount": 10, "due": "明天"}],
        [{"due": "2026-12-15"}],
    ):
        with pytest.raises(MoveRefused):
            check_move("mediating", "agreement", "wage_arrears", {"instalments": bad})


def test_a_referral_names_one_of_the_parties():
    assert check_move("mediation_failed", "referred", "wage_arrears", {"to": "procuratorate"})["to"] == "procuratorate"
    with pytest.raises(MoveRefused):
        check_move("mediation_failed", "referred", "wage_arrears", {"to": "the boss"})


def test_an_agreement_closes_only_when_the_money_arrived_or_a_reason_is_given():
    owed = [Instalment(2000, date(2026, 12, 15), True), Instalment(2000, date(2027, 1, 15), None)]
    with pytest.raises(MoveRefused, match="到账"):
        check_move("agreement", "closed", "wage_arrears", {}, owed)
    assert check_move("agreement", "closed", "wage_arrears", {"note": "转法院强制执行"}, owed) == {}
    paid = [Instalment(2000, date(2026, 12, 15), True)]
    assert check_move("agreement", "closed", "wage_arrears", {}, paid) == {}


def test_one_return_visit_per_instalment_and_one_after_closing():
    plans = outcomes.followups_for([Instalment(1, date(2026, 12, 15)), Instalment(1, date(2027, 1, 15))])
    assert [(p.due, p.kind, p.instalment) for p in plans] == [
        (date(2026, 12, 15), "instalment", 1),
        (date(2027, 1, 15), "instalment", 2),
    ]
    assert outcomes.after_close(date(2027, 2, 1)).due == date(2027, 2, 8)
