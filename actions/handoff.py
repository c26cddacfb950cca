"""Handing a worker to a person: on request, or when the bot failed twice in a row."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import hand_over
from actions.erasure import start_erasure
from bot.dialogue import conversation
from bot.dialogue.complaints import question_reply
from bot.text.language import is_foreign
from bot.topics import FALLBACK_INTENT


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        recorded = await hand_over(tracker, "asked")
        dispatcher.utter_message(text=conversation.handoff_text(recorded, tracker.get_slot("phone")))
        return []


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        if conversation.is_erase_request(tracker.latest_message.get("text") or "") and not tracker.active_loop:
            return start_erasure(tracker)
        if is_foreign(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(text=conversation.FOREIGN_LANGUAGE_TEXT)
            return []
        if conversation.fallbacks_in_a_row(tracker.events) >= conversation.HANDOFF_AFTER_FALLBACKS:
            recorded = await hand_over(tracker, "fallback")
            phone = tracker.get_slot("phone")
            dispatcher.utter_message(text=conversation.handoff_text(recorded, phone, after_fallbacks=True))
            return []
        # Not understood as a topic, but the FAQ may answer the question clearly all the same.
        reply = question_reply(FALLBACK_INTENT, tracker.latest_message.get("text") or "")
        if reply is None:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return []
