"""The legal clocks of /follow (bot/cases/clocks.py), per category x status, without a database."""

import re
from datetime import date, datetime, timezone

import pytest

from bot.cases import outcomes
from bot.cases.clocks import CITATIONS, clocks_for, clocks_of_case
from bot.law.calculators import chinese_numeral
from bot.topics import TOPICS

pytestmark = pytest.mark.unit

OPENED = date(2026, 11, 2)
MEDIATING = date(2026, 11, 5)
REFERRED = date(2026, 11, 20)
TODAY = date(2026, 11, 12)
NO_ARBITRATION = {"pension_adjustment", "work_injury"}


def history(status):
    """A plausible path to `status`: registered, accepted, mediating, failed, referred, ..."""
    steps = [(OPENED, "draft"), (date(2026, 11, 3), "accepted")]
    if status in ("mediating", "mediation_failed", "agreement"):
        steps.append((MEDIATING, "mediating"))
    if status == "mediation_failed":
        steps.append((date(2026, 11, 10), "mediation_failed"))
    if status == "referred":
        steps.append((REFERRED, "referred"))
    if status in ("agreement", "closed", "withdrawn"):
        steps.append((date(2026, 11, 11), status))
    return steps


def expected(category, status, referred_to=None):
    """The kinds of clock that must run: written out per rule, independent of the module's code."""
    if status in ("closed", "withdrawn") or category in NO_ARBITRATION:
        return set()
    kinds = set()
    if status == "mediating":
        kinds.add("mediation")
    if status == "referred" and referred_to == "arbitration":
        kinds.add("award")
    elif status != "agreement":
        kinds.add("limitation")
    return kinds


@pytest.mark.parametrize("status", outcomes.STATUSES)
@pytest.mark.parametrize("category", TOPICS)
def test_every_category_and_status_has_the_clocks_that_run_and_no_other(category, status):
    found = clocks_for(category, status, history(status), TODAY, "union" if status == "referred" else None)
    assert {c.kind for c in found} == expected(category, status, "union" if status == "referred" else None)
    for clock in found:
        assert "《劳动争议调解仲裁法》第" in clock.text and clock.deadline > clock.start


@pytest.mark.parametrize("category", sorted(set(TOPICS) - NO_ARBITRATION))
def test_a_referral_to_arbitration_runs_the_award_clock_instead_of_the_limitation(category):
    found = clocks_for(category, "referred", history("referred"), date(2026, 12, 1), "arbitration")
    assert [c.kind for c in found] == ["award"]
    award = found[0]
    assert award.start == REFERRED and award.deadline == date(2027, 1, 4) and award.days_left == 34
    assert "2027-01-19" in award.text and "第四十三条" in award.text  # 45 + 15 days


def test_mediation_counts_fifteen_days_from_when_it_began():
    (mediation, limitation) = clocks_for("wage_arrears", "mediating", history("mediating"), TODAY)
    assert mediation.deadline == date(2026, 11, 20) and mediation.days_left == 8
    assert "还剩8天" in mediation.text and "第十四条" in mediation.text
    late = clocks_for("dismissal", "mediating", history("mediating"), date(2026, 11, 25))[0]
    assert late.days_left == -5 and "已满15天" in late.text


def test_the_limitation_restarts_at_the_registration_and_says_when_wages_are_exempt():
    wages = clocks_for("wage_arrears", "accepted", history("accepted"), TODAY)[0]
    assert wages.deadline == date(2027, 11, 2) and wages.days_left == 355
    assert "还在职的" in wages.text and "2027-11-02" in wages.text
    dismissal = clocks_for("dismissal", "accepted", history("accepted"), TODAY)[0]
    assert "还在职的" not in dismissal.text and "第二十七条" in dismissal.text


def test_a_pension_case_has_no_labour_clock_whatever_its_status():
    for status in outcomes.moves_from("accepted", "pension_adjustment") | {"accepted", "draft"}:
        assert clocks_for("pension_adjustment", status, history(status), TODAY, "arbitration") == []


def test_a_case_view_counts_from_real_moves_in_china_time():
    case = {
        "category": "overtime",
        "status": "mediating",
        "referred_to": None,
        "timeline": [
            {"at": "2026-11-01T17:00:00+00:00", "status": "draft"},  # 2 November in China
            {"at": "2026-11-03T02:00:00+00:00", "status": "accepted"},
            {"at": "2026-11-04T20:00:00+00:00", "status": "mediating"},  # 5 November in China
        ],
    }
    found = {c["kind"]: c for c in clocks_of_case(case, datetime(2026, 11, 12, 1, tzinfo=timezone.utc))}
    assert found["mediation"]["start"] == "2026-11-05" and found["mediation"]["days_left"] == 8
    assert found["limitation"]["start"] == "2026-11-02"


def test_every_article_a_clock_names_is_a_checked_citation():
    """tests/test_citations.py checks clocks.CITATIONS against the statutes; each text names only those."""
    named = set()
    for category in TOPICS:
        for status in outcomes.STATUSES:
            for target in (None, "arbitration"):
                for clock in clocks_for(category, status, history(status), TODAY, target):
                    named |= set(re.findall(r"《([^》]+)》第([一二三四五六七八九十百零]+)条", clock.text))
    assert named == {(stem, chinese_numeral(n)) for stem, n in CITATIONS}
