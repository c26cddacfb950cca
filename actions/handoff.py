"""Handing a worker to a person: on request, or when the bot failed twice in a row."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking, case_client
from actions.erasure import start_erasure
from bot.dialogue import conversation
from bot.dialogue.complaints import question_reply
from bot.text.language import is_foreign
from bot.topics import FALLBACK_INTENT


async def _handoff(tracker: Tracker, reason: str) -> bool:
    # A kiosk's station takes its own callers; elsewhere the case service uses the worker's case.
    kiosk = (tracker.latest_message.get("metadata") or {}).get("kiosk_station")
    return await blocking(
        case_client().handoff,
        tracker.sender_id,
        reason,
        conversation.transcript(tracker.events),
        tracker.get_slot("phone"),
        kiosk if isinstance(kiosk, str) else None,
    )


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        recorded = await _handoff(tracker, "asked")
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
            recorded = await _handoff(tracker, "fallback")
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
