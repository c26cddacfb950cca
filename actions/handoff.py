"""Handing a worker to a person: on request, or when the bot failed twice in a row."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import hand_over
from actions.complaint import first_answer, whole_text
from actions.erasure import start_erasure
from bot.dialogue import conversation, fallback
from bot.dialogue.complaints import Facts, question_reply, worded_complaint
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
        text, first = whole_text(tracker), first_answer(tracker)
        # A problem named in plain words ("包工头跑了") is understood even when the NLU was unsure.
        worded = worded_complaint(text, Facts.from_slots(tracker.current_slot_values()), first)
        if worded is not None:
            dispatcher.utter_message(text=worded.text, buttons=worded.buttons)
            return [SlotSet("category", worded.topic)] if worded.topic else []
        if conversation.fallbacks_in_a_row(tracker.events) >= conversation.HANDOFF_AFTER_FALLBACKS:
            recorded = await hand_over(tracker, "fallback")
            phone = tracker.get_slot("phone")
            dispatcher.utter_message(text=conversation.handoff_text(recorded, phone, after_fallbacks=True))
            return []
        # Not understood as a topic, but the FAQ may answer the question clearly all the same.
        reply = question_reply(FALLBACK_INTENT, text, first)
        if reply is None:
            said, buttons = fallback.not_understood(_topic_so_far(tracker))
            dispatcher.utter_message(text=said, buttons=buttons)
            return []
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return []


def _topic_so_far(tracker: Tracker) -> Optional[str]:
    said = [e for e in reversed(tracker.events) if e.get("event") == "user"]
    return fallback.conversation_topic(
        tracker.get_slot("category"),
        [((e.get("parse_data") or {}).get("intent") or {}).get("name") or "" for e in said],
        [e.get("text") or "" for e in said],
    )
