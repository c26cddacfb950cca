"""Following a case: case number + follow code → its status in plain words.

The throttle lives where the check is made, in the case service's lookup API: this action
passes the conversation's sender id so wrong guesses count per case and per conversation.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking, case_client, flush_briefly
from actions.erasure import start_erasure
from actions.form_guard import GuardedForm, ended
from bot import hotlines
from bot.cases.client import ThrottledLookup
from bot.cases.numbers import find_case_no
from bot.dialogue import conversation, form_exits, intake, privacy_notice
from bot.dialogue.complaints import question_reply
from bot.topics import PROCEDURE

ASK_CODE_AGAIN = "查询码是8位字母和数字，比如 K7PQ4XZ2，在登记编号旁边或回执上。请再输入一遍。"


BAD_CASE_NO = "编号好像不对，应该像 GY20261123-0042 这样。"


class ValidateStatusForm(GuardedForm):
    own_slots = ["lookup_case_no", "lookup_follow_code"]

    def name(self) -> Text:
        return "validate_status_form"

    def answers_it(self, requested, text, tracker) -> bool:
        return bool(find_case_no(text) or conversation.find_follow_code(text))

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        heard = form_exits.Heard.from_message(tracker.latest_message)
        requested = tracker.get_slot("requested_slot")
        if tracker.active_loop and requested and form_exits.fresh(tracker.events):
            # "不知道", "没有" to a number only the worker holds: nothing to look up, so stop asking.
            answers = self.answers_it(requested, heard.text, tracker)
            if (
                heard.intent == "deny"
                and not answers
                and len(heard.text) <= form_exits.SHORT
                and not heard.text.startswith("/")
            ):
                return self.cancelled(dispatcher, tracker)
            wants = form_exits.decide(heard, answers)
            misses = sum(
                form_exits.failures_since_form_began(tracker.events, "status_form", said)
                for said in (BAD_CASE_NO, ASK_CODE_AGAIN)
            )
            missed_again = wants == form_exits.ANSWER and not self.fits(requested, heard.text)
            if missed_again and misses >= form_exits.STATUS_TRIES - 1:
                dispatcher.utter_message(text=form_exits.STATUS_GIVE_UP)
                return ended(requested, self.own_slots)
        return await super().run(dispatcher, tracker, domain)

    @staticmethod
    def fits(requested: str, text: str) -> bool:
        if requested == "lookup_case_no":
            return bool(find_case_no(text))
        return bool(conversation.find_follow_code(text))

    def validate_lookup_case_no(self, value, dispatcher, tracker, domain):
        found = find_case_no(str(value or ""))
        if not found:
            dispatcher.utter_message(text=BAD_CASE_NO)
            return {"lookup_case_no": None}
        # "GY20261123-0042 K7PQ4XZ2" in one message: the code is taken too.
        code = conversation.find_follow_code(tracker.latest_message.get("text") or "")
        return {"lookup_case_no": found, **({"lookup_follow_code": code} if code else {})}

    def validate_lookup_follow_code(self, value, dispatcher, tracker, domain):
        found = conversation.find_follow_code(str(value or ""))
        if not found:
            dispatcher.utter_message(text=ASK_CODE_AGAIN)
        return {"lookup_follow_code": found}


class ActionCaseStatus(Action):
    def name(self) -> Text:
        return "action_case_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        client = case_client()
        case_no, code = tracker.get_slot("lookup_case_no"), tracker.get_slot("lookup_follow_code")
        reset = [SlotSet("lookup_case_no", None), SlotSet("lookup_follow_code", None)]
        try:
            found = await blocking(client.lookup, case_no, code, tracker.sender_id)
        except ThrottledLookup:
            dispatcher.utter_message(
                text=f"试错的次数太多了，为了保护您的信息，请过15分钟再查，或打{hotlines.RENSHE}询问。"
            )
            return reset
        except Exception:
            dispatcher.utter_message(text="系统有点忙，暂时查不到，请稍后再试。")
            return reset
        if not found:
            dispatcher.utter_message(text="没查到，编号或查询码对不上。请核对一下再试。")
            return reset
        dispatcher.utter_message(text=f"案件 {found['case_no']}：{found['status_words']}")
        return reset


class ActionPendingCase(Action):
    """Before a status lookup: a draft kept while the service was down may have its number now."""

    def name(self) -> Text:
        return "action_pending_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        if conversation.is_erase_request(text):
            return start_erasure(tracker)
        key = tracker.get_slot("pending_case_key")
        events: List[Dict[Text, Any]] = []
        case_no = tracker.get_slot("case_no")
        if not key and not case_no and not find_case_no(text):
            if form_exits.asks_about_procedure(text):
                # "仲裁多久出结果": a question about the procedure, not a lookup; no form opens.
                reply = question_reply(PROCEDURE, text)
                dispatcher.utter_message(text=reply.text if reply else ASK_OWN_CASE)
                if reply:
                    dispatcher.utter_message(text=ASK_OWN_CASE)
                return [FollowupAction("action_listen")]
            cancelled = (intake.CANCELLED_TEXT, privacy_notice.DECLINED)
            if form_exits.registration_outcome(tracker.events, cancelled) == "cancelled":
                dispatcher.utter_message(text=form_exits.REGISTRATION_CANCELLED, buttons=form_exits.RESTART_BUTTONS)
                return [FollowupAction("action_listen")]
        if key:
            client = case_client()
            if not await blocking(client.outbox.receipt, key):
                await flush_briefly()
            receipt = await blocking(client.outbox.receipt, key)
            number = receipt[0] if receipt else None
            if receipt and number != "REFUSED":
                code = receipt[1]
                told = f"，查询码是 {code}，请一起记下来" if code else ""
                dispatcher.utter_message(text=f"您之前保存的登记已经提交，编号是 {number}{told}。")
                await blocking(client.outbox.forget, key)
                case_no = number
                events += [SlotSet("case_no", number), SlotSet("pending_case_key", None)]
            elif not number:
                dispatcher.utter_message(text=PENDING_TEXT)
        if case_no:
            if not key:
                dispatcher.utter_message(text=f"您在这里登记的案件编号是 {case_no}。")
            events.append(SlotSet("lookup_case_no", case_no))
        return events


ASK_OWN_CASE = "要查您自己登记的进度，请说“查进度”，准备好编号和查询码。"
PENDING_TEXT = "您之前保存的登记还在提交中，正在重新发送，过一会儿再说“查进度”就能看到编号。"
