from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.complaints import Facts, complaint_reply


class ActionComplaintReply(Action):
    """Answers a complaint with the worker's facts, their rights and the next steps."""

    def name(self) -> Text:
        return "action_complaint_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        reply = complaint_reply(intent, Facts.from_slots(tracker.current_slot_values()),
                                tracker.latest_message.get("text") or "")
        if reply is None:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        # The complaint's topic becomes the category of a draft the worker may open next.
        return [SlotSet("category", intent)]
