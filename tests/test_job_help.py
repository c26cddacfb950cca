"""Job help (issue 16): the union's 12351 beside 12333, the 就业帮扶 stations near the worker (巴南区总工会
was never offered), after dismissal guidance, for `job_seeking`, and in a closed case's words; and the
station kinds a referral needs (court, procuratorate, 信访, tax), found near the case's station."""

import pytest
import requests

from bot.cases import wording
from bot.cases.outcomes import REFERRAL_TARGETS
from bot.dialogue import job_help
from bot.job_help_words import OFFER
from bot.stations.finder import FAR_KM, StationFinder
from bot.stations.parsing import parse
from bot.stations.routing import nearest_of_kind
from bot.stations.station import JOB_HELP, KINDS, REFERRAL_KINDS
from bot.stations.store import DEMO_FILE
from bot.topics import TOPICS


@pytest.fixture(scope="module")
def finder():
    return StationFinder(lambda: parse(DEMO_FILE))


@pytest.mark.unit
def test_banan_union_is_offered_for_job_help_by_its_service(finder):
    # Its kind is 工会服务站; 就业帮扶 is among its services, which the search now reads.
    offered = job_help.offer(finder, context="我在巴南 想找个活干")
    assert [c["id"] for c in offered["stations"]] == ["cq-banan-union"]
    assert "12351" in offered["text"] and "12333" in offered["text"] and "巴南区总工会" in offered["text"]
    assert "招聘会" in offered["text"] and "培训" in offered["text"] and "创业担保贷款" in offered["text"]


@pytest.mark.unit
def test_pages_that_draw_cards_get_the_stations_as_data_only(finder):
    offered = job_help.offer(finder, "巴南", spelled_out=False)
    assert offered["stations"] and "地址" not in offered["text"] and "12351" in offered["text"]


@pytest.mark.unit
def test_job_help_lists_no_far_station_and_asks_where_when_it_does_not_know(finder):
    far = job_help.offer(finder, "哈尔滨道里区")
    assert far["stations"] == [] and "12351" in far["text"] and "公里" not in far["text"]
    unknown = job_help.offer(finder, context="想找个工作")
    assert unknown["stations"] == [] and job_help.ASK_PLACE in unknown["text"]
    # After dismissal guidance, which ends in its own question, no second question.
    assert job_help.offer(finder, context="被开除了", ask_place=False)["text"] == OFFER


@pytest.mark.unit
def test_the_place_in_this_message_comes_before_an_earlier_one(finder):
    offered = job_help.offer(finder, context="我现在在景德镇 想找工作", earlier="巴南")
    assert offered["stations"] == []  # no 就业帮扶 point near 景德镇: 巴南's is not offered
    assert [c["id"] for c in job_help.offer(finder, context="想找工作", earlier="巴南")["stations"]] == [
        "cq-banan-union"
    ]


@pytest.mark.unit
def test_job_help_from_a_kiosk_uses_the_kiosk_place(finder):
    offered = job_help.offer(finder, context="有没有招工的", kiosk_station="cq-yuzhong-union")
    assert [c["id"] for c in offered["stations"]] == ["cq-banan-union"]  # 16.9 km: the only one near


@pytest.mark.unit
def test_job_words_route_a_station_search_to_job_help(finder):
    where = finder.where("巴南 有没有招工的地方")
    cards = finder.nearby(where, "dismissal", asked="巴南 有没有招工的地方")
    assert cards[0]["id"] == "cq-banan-union"


@pytest.mark.unit
def test_every_referral_target_has_a_station_kind_in_the_demo_data(finder):
    assert set(REFERRAL_KINDS) == set(REFERRAL_TARGETS)
    for target, kinds in REFERRAL_KINDS.items():
        assert kinds[0] in KINDS, target
        assert nearest_of_kind(target, "cq-wuxi-union", finder) is not None, target
    added = [s for s in finder.index().stations if s.kind in ("人民法院", "人民检察院", "信访部门", "税务部门")]
    assert len(added) == 4 and all("DEMO" in s.name for s in added)


@pytest.mark.parametrize(
    "target, station, expected",
    [
        ("procuratorate", "cq-wuxi-union", "cq-wuxi-procuratorate"),
        ("court", "cq-wuxi-union", "cq-wuxi-court"),
        ("petition", "cq-banan-union", "cq-yuzhong-petition"),
        ("tax", "cq-jiangbei-union", "cq-yuzhong-tax"),
        ("labour_inspection", "cq-wuxi-union", "cq-wuxi-hrss"),
        ("arbitration", "jdz-taoxichuan", "jdz-gaoxin-tribunal"),
        ("legal_aid", "cq-jiangbei-union", "cq-yuzhong-union"),  # no centre listed: a union giving 法律援助
        ("人民检察院", "cq-wuxi-union", "cq-wuxi-procuratorate"),
    ],
)
@pytest.mark.unit
def test_nearest_station_of_a_kind_to_a_case_station(finder, target, station, expected):
    found = nearest_of_kind(target, station, finder)
    assert found is not None and found.station.id == expected


@pytest.mark.unit
def test_no_referral_station_without_a_known_case_station(finder):
    assert nearest_of_kind("court", None, finder) is None
    assert nearest_of_kind("court", "no-such-station", finder) is None
    assert nearest_of_kind("no-such-kind", "cq-banan-union", finder) is None


@pytest.mark.unit
def test_procuratorate_shows_12309(finder):
    station = finder.index().by_id["cq-wuxi-procuratorate"]
    assert station.phone_or_hotline == "12309"


# Whose closing words offer job help: wages and labour disputes; not a pension case (a retiree, who
# asks if they want it), not an injury case (the worker is healing; the job is kept in treatment).
@pytest.mark.parametrize("category", TOPICS)
@pytest.mark.unit
def test_closing_words_offer_job_help_where_it_fits(category):
    text = wording.status_words("closed", category)
    offered = "12351" in text and "招聘会" in text and "创业担保贷款" in text
    assert offered is (category not in ("pension_adjustment", "work_injury")), text


@pytest.mark.parametrize("status", ["draft", "accepted", "mediating", "agreement", "referred", "withdrawn"])
@pytest.mark.unit
def test_only_a_closed_case_offers_job_help(status):
    assert "招聘会" not in wording.status_words(status, "dismissal")


@pytest.mark.unit
def test_job_help_kind_is_a_station_kind():
    assert JOB_HELP in KINDS and FAR_KM == 50


def say(stack, sender, text, **extra):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text, **extra}, timeout=60
    )
    assert reply.status_code == 200
    return reply.json()


def words(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def cards(messages):
    return [c for m in messages if "custom" in m for c in m["custom"].get("stations", [])]


@pytest.mark.parametrize("text", ["我在巴南 被辞退了 想找份新工作", "巴南这边有没有招工的地方"])
@pytest.mark.stack
def test_a_job_seeker_in_banan_gets_the_banan_union_and_12351(stack, text):
    messages = say(stack, f"job-{abs(hash(text))}", text)
    reply = words(messages)
    assert "12351" in reply and "巴南区总工会职工服务站" in reply, reply
    assert [c["id"] for c in cards(messages)] == ["cq-banan-union"]
    assert all(c["km"] <= FAR_KM for c in cards(messages))


@pytest.mark.stack
def test_dismissal_guidance_offers_job_help(stack):
    reply = words(say(stack, "job-dismissed", "公司突然把我辞退了 一分钱补偿都没有 我在巴南区"))
    assert "经济补偿" in reply or "赔偿" in reply, reply  # the dismissal guidance itself
    assert "12351" in reply and "就业帮扶" in reply and "巴南区总工会职工服务站" in reply, reply
    assert reply.rstrip().endswith("接下来您想怎么办？")
