"""A worker's own erasure from the chat (PIPL §47): case number + follow code, a yes, then the
case service removes their personal data everywhere (case database, tracker, outbox).

There is no intent of its own (contract §1 fixes the intents): the actions that receive such a
request ("删除我的信息" parses as case_status, or as nothing) see it in the words and start here.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking, case_client
from actions.form_guard import GuardedForm
from bot.cases.client import ThrottledLookup
from bot.cases.numbers import find_case_no
from bot.dialogue import conversation

SLOTS = ("erase_case_no", "erase_follow_code", "erase_confirmed")


def start_erasure(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Events that turn this turn into the erase form (the number of a case opened here is known)."""
    events: List[Dict[Text, Any]] = [SlotSet(slot, None) for slot in SLOTS]
    case_no = find_case_no(tracker.latest_message.get("text") or "") or tracker.get_slot("case_no")
    if case_no:
        events.append(SlotSet("erase_case_no", case_no))
    return events + [FollowupAction("erase_form")]


class ValidateEraseForm(GuardedForm):
    own_slots = list(SLOTS)

    def name(self) -> Text:
        return "validate_erase_form"

    def answers_it(self, requested, text, tracker) -> bool:
        if requested == "erase_confirmed":
            return conversation.erase_answer(text) is not None
        return bool(find_case_no(text) or conversation.find_follow_code(text))

    def validate_erase_case_no(self, value, dispatcher, tracker, domain):
        if value is None:  # cleared when the request starts: nothing was said yet
            return {"erase_case_no": None}
        found = find_case_no(str(value or ""))
        if not found:
            dispatcher.utter_message(text=conversation.ERASE_BAD_CASE_NO)
        return {"erase_case_no": found}

    def validate_erase_follow_code(self, value, dispatcher, tracker, domain):
        if value is None:  # cleared when the request starts: nothing was said yet
            return {"erase_follow_code": None}
        found = conversation.find_follow_code(str(value or ""))
        if not found:
            dispatcher.utter_message(text=conversation.ERASE_BAD_CODE)
        return {"erase_follow_code": found}

    def validate_erase_confirmed(self, value, dispatcher, tracker, domain):
        if value is None:  # cleared when the request starts: nothing was said yet
            return {"erase_confirmed": None}
        answer = value if isinstance(value, bool) else conversation.erase_answer(str(value or ""))
        if answer is not None:
            return {"erase_confirmed": answer}
        dispatcher.utter_message(text=conversation.ERASE_ASK_AGAIN)
        return {"erase_confirmed": None}


class ActionAskEraseConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_erase_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=conversation.ERASE_CONFIRM, buttons=conversation.ERASE_BUTTONS)
        return []


class ActionEraseOwn(Action):
    def name(self) -> Text:
        return "action_erase_own"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        reset = [SlotSet(slot, None) for slot in SLOTS]
        if tracker.get_slot("erase_confirmed") is not True:
            dispatcher.utter_message(text=conversation.ERASE_KEPT)
            return reset
        case_no = tracker.get_slot("erase_case_no")
        try:
            done = await blocking(
                case_client().erase_own, case_no, tracker.get_slot("erase_follow_code"), tracker.sender_id
            )
        except ThrottledLookup as throttled:  # too many wrong codes for this case or conversation
            dispatcher.utter_message(text=str(throttled) or conversation.ERASE_THROTTLED)
            return reset
        except Exception:
            dispatcher.utter_message(text=conversation.ERASE_BUSY)
            return reset
        if done is None:
            dispatcher.utter_message(text=conversation.ERASE_BUSY)
            return reset
        if not done:
            dispatcher.utter_message(text=conversation.ERASE_NO_MATCH)
            return reset
        dispatcher.utter_message(text=conversation.ERASE_DONE)
        # What this conversation still holds about the case goes too.
        forget = [
            SlotSet(s, None)
            for s in (
                "name",
                "phone",
                "description",
                "case_no",
                "pending_case_key",
                "lookup_case_no",
                "location",
                "employer",
            )
        ]
        return reset + forget
