from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.complaints import Facts, Reply, complaint_reply, question_reply


def _say(dispatcher: CollectingDispatcher, reply: Reply) -> List[Dict[Text, Any]]:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    # The topic answered becomes the category of a draft the worker may open next.
    return [SlotSet("category", reply.topic)] if reply.topic else []


class ActionComplaintReply(Action):
    """Answers a complaint with the worker's facts, their rights and the next steps."""

    def name(self) -> Text:
        return "action_complaint_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        reply = complaint_reply(
            intent, Facts.from_slots(tracker.current_slot_values()), tracker.latest_message.get("text") or ""
        )
        if reply is None:
            dispatcher.utter_message(response="utter_default")
            return []
        return _say(dispatcher, reply)


# What an intent the FAQ overruled nothing for says instead.
_OTHERWISE = {"job_seeking": "utter_job_seeking", "inform": "utter_inform", "bot_challenge": "utter_iamabot"}


class ActionAnswerQuestion(Action):
    """Answers a question about the procedure; an out-of-scope or job question only when the FAQ
    answers it clearly (the intent is a prior, not a gate)."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        reply = question_reply(intent, tracker.latest_message.get("text") or "")
        if reply is None:
            dispatcher.utter_message(response=_OTHERWISE.get(intent, "utter_out_of_scope"))
            return []
        return _say(dispatcher, reply)
