"""Following a case: case number + the phone's last four digits → its status in plain words."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import case_client
from bot.cases.numbers import find_case_no
from bot.dialogue import conversation


class ValidateStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_status_form"

    def validate_lookup_case_no(self, value, dispatcher, tracker, domain):
        found = find_case_no(str(value or ""))
        if not found:
            dispatcher.utter_message(text="编号好像不对，应该像 GY20261123-0042 这样。")
        return {"lookup_case_no": found}

    def validate_lookup_phone4(self, value, dispatcher, tracker, domain):
        found = conversation.find_last4(str(value or ""))
        if not found:
            dispatcher.utter_message(text="请输入登记电话的后四位数字。")
        return {"lookup_phone4": found}


class ActionCaseStatus(Action):
    def name(self) -> Text:
        return "action_case_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        client = case_client()
        case_no, last4 = tracker.get_slot("lookup_case_no"), tracker.get_slot("lookup_phone4")
        reset = [SlotSet("lookup_case_no", None), SlotSet("lookup_phone4", None)]
        try:
            found = client.lookup(case_no, last4)
        except Exception:
            dispatcher.utter_message(text="系统有点忙，暂时查不到，请稍后再试。")
            return reset
        if not found:
            dispatcher.utter_message(text="没查到这个编号，或者电话后四位对不上。请核对一下再试。")
            return reset
        dispatcher.utter_message(text=f"案件 {found['case_no']}：{found['status_words']}")
        return reset


class ActionPendingCase(Action):
    """Before a status lookup: a draft kept while the service was down may have its number now."""

    def name(self) -> Text:
        return "action_pending_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        key = tracker.get_slot("pending_case_key")
        events: List[Dict[Text, Any]] = []
        case_no = tracker.get_slot("case_no")
        if key:
            client = case_client()
            client.flush()
            number = client.outbox.case_no(key)
            if number and number != "REFUSED":
                dispatcher.utter_message(text=f"您之前保存的登记已经提交，编号是 {number}。")
                case_no = number
                events += [SlotSet("case_no", number), SlotSet("pending_case_key", None)]
        if case_no:
            events.append(SlotSet("lookup_case_no", case_no))
        return events
