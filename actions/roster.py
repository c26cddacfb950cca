"""Group rosters in the chat (issue 17): the first worker of a collective case gets the group code
to pass on; a co-worker joins with it ("我要加入 群码 K7PQ4X"), agreeing to the notice first, then
giving name, phone, amount and months. The texts and rules are in bot/dialogue/roster_chat.py."""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import blocking, case_client
from actions.form_guard import GuardedForm, ended
from bot.cases.client import ThrottledLookup
from bot.cases.group_code import find_code, normalise_code
from bot.cases.roster_client import RosterClient
from bot.dialogue import intake, privacy_notice, roster_chat

logger = logging.getLogger(__name__)


def _reset() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in roster_chat.SLOTS] + [SlotSet("requested_slot", None)]


async def share_group_code(
    dispatcher: CollectingDispatcher, case: Dict[str, Any], sender_id: str
) -> List[Dict[Text, Any]]:
    """After a collective case is opened: its group code for the co-workers, kept in the
    conversation so the first worker can add a co-worker without typing it (a failure only
    leaves the code out; the case itself is safe)."""
    if not case.get("collective") or not case.get("follow_code"):
        return []
    try:
        code = await blocking(RosterClient(case_client()).open_group, case["case_no"], case["follow_code"], sender_id)
    except Exception:
        logger.warning("no group code for a collective case", exc_info=True)
        return []
    if not code:
        return []
    dispatcher.utter_message(text=roster_chat.share_text(case, code))
    return [SlotSet("group_code", code)]


# Each roster question is the intake's question of the same kind.
_AS_INTAKE = {"join_name": "name", "join_phone": "phone", "join_amount": "amount", "join_months": "duration"}


class ValidateRosterForm(GuardedForm):
    own_slots = list(roster_chat.SLOTS)

    def name(self) -> Text:
        return "validate_roster_form"

    def answers_it(self, requested, text, tracker) -> bool:
        if requested == "join_code":
            return bool(normalise_code(text) or find_code(text))
        if requested == "join_consent":
            return privacy_notice.says_yes(text)
        return intake.answers(_AS_INTAKE.get(requested), text)

    def cancelled(self, dispatcher, tracker) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=roster_chat.DECLINED)
        return ended(tracker.get_slot("requested_slot"), self.own_slots)

    async def extract_join_code(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        # The code said with the request itself ("我要加入 群码 K7PQ4X") needs no second asking.
        if tracker.get_slot("join_code"):
            return {}
        found = find_code(tracker.latest_message.get("text") or "") or tracker.get_slot("group_code")
        return {"join_code": found} if found else {}

    async def validate_join_code(self, value, dispatcher, tracker, domain):
        code = normalise_code(value) or find_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(text=roster_chat.BAD_CODE)
            return {"join_code": None}
        try:
            found = await blocking(RosterClient(case_client()).check, code, tracker.sender_id)
        except ThrottledLookup as throttled:
            dispatcher.utter_message(text=str(throttled) or roster_chat.WRONG_CODE)
            return {"join_code": None}
        except Exception:
            dispatcher.utter_message(text=roster_chat.BUSY)
            return {"join_code": None}
        if found is None:
            dispatcher.utter_message(text=roster_chat.WRONG_CODE)
            return {"join_code": None}
        # The conversation's own group: the first worker is adding a co-worker who is not here.
        proxy = code == tracker.get_slot("group_code")
        words = roster_chat.PROXY_FOUND if proxy else roster_chat.FOUND
        dispatcher.utter_message(text=words.format(employer=found.get("employer") or "你们单位"))
        return {"join_code": code, "join_proxy": proxy}

    def validate_join_consent(self, value, dispatcher, tracker, domain):
        said = tracker.latest_message.get("text") or ""
        if privacy_notice.is_roster_agreement(value) or (value is True and privacy_notice.says_yes(said)):
            return {"join_consent": privacy_notice.roster_agreement(proxy=bool(tracker.get_slot("join_proxy")))}
        dispatcher.utter_message(text=privacy_notice.ASK_AGAIN)
        return {"join_consent": None}

    def _agreed(self, tracker: Tracker) -> bool:
        return privacy_notice.is_roster_agreement(tracker.get_slot("join_consent"))

    def validate_join_name(self, value, dispatcher, tracker, domain):
        if not self._agreed(tracker):
            return {"join_name": None}
        name, problem = intake.check_name(value)
        if problem:
            dispatcher.utter_message(text=problem)
        return {"join_name": name}

    def validate_join_phone(self, value, dispatcher, tracker, domain):
        if not self._agreed(tracker):
            return {"join_phone": None}
        phone, problem = intake.check_phone(value)
        if problem:
            dispatcher.utter_message(text=problem)
        return {"join_phone": phone}

    def validate_join_amount(self, value, dispatcher, tracker, domain):
        amount, problem = intake.check_amount(value)
        if problem:
            dispatcher.utter_message(text=problem)
        return {"join_amount": amount}

    def validate_join_months(self, value, dispatcher, tracker, domain):
        months, problem = intake.check_duration(value)
        if problem:
            dispatcher.utter_message(text=problem)
        return {"join_months": months}


class ActionAskJoinConsent(Action):
    def name(self) -> Text:
        return "action_ask_join_consent"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        notice = privacy_notice.ROSTER_PROXY_NOTICE if tracker.get_slot("join_proxy") else privacy_notice.ROSTER_NOTICE
        dispatcher.utter_message(text=notice, buttons=privacy_notice.CONSENT_BUTTONS)
        return []


class ActionJoinGroup(Action):
    """Sends the filled roster row; whatever the answer, the row leaves the conversation's slots."""

    def name(self) -> Text:
        return "action_join_group"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        consent: Optional[Dict[str, Any]] = slots.get("join_consent")
        if not privacy_notice.is_roster_agreement(consent):
            dispatcher.utter_message(text=roster_chat.DECLINED)
            return _reset()
        try:
            joined = await blocking(
                RosterClient(case_client()).join,
                slots.get("join_code") or "",
                roster_chat.member(slots),
                consent,
                tracker.sender_id,
            )
        except Exception:
            logger.warning("joining a group failed", exc_info=True)
            dispatcher.utter_message(text=roster_chat.BUSY)
            return _reset()
        if joined.ok:
            proxy = bool(slots.get("join_proxy"))
            dispatcher.utter_message(text=roster_chat.joined_text(joined.employer, joined.members, proxy))
        elif joined.wrong_code:
            dispatcher.utter_message(text=roster_chat.WRONG_CODE)
        elif joined.problem:
            dispatcher.utter_message(text=joined.problem)
        else:
            dispatcher.utter_message(text=roster_chat.BUSY)
        return _reset()


class ActionRosterDeny(Action):
    """A "no" while joining: "不清楚" answers the amount or months, anything else stops the join."""

    def name(self) -> Text:
        return "action_roster_deny"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        if requested in roster_chat.SKIPPABLE and intake.is_skip(text):
            return [SlotSet(requested, intake.UNKNOWN), FollowupAction("roster_form")]
        dispatcher.utter_message(text=roster_chat.DECLINED)
        return [ActiveLoop(None)] + _reset()
