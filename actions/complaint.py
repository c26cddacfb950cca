import logging
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking
from bot.dialogue import job_help
from bot.dialogue.complaints import ASK_NEXT, Facts, Reply, complaint_reply, question_reply, worded_complaint
from bot.dialogue.stations import CARD_CHANNELS
from bot.stations.routing import station_finder
from bot.topics import PROCEDURE

logger = logging.getLogger(__name__)
JOB_SEEKING = "job_seeking"
_CLOSING_QUESTION = ASK_NEXT
# The actions that answer a worker's problem; the first of them in a conversation opens kindly.
ANSWERING = ("action_complaint_reply", "action_answer_question", "action_fallback")


def first_answer(tracker: Tracker) -> bool:
    return not any(e.get("event") == "action" and e.get("name") in ANSWERING for e in tracker.events)


def whole_text(tracker: Tracker) -> str:
    """The worker's message as sent: the NLU reads only its first part (bot/nlu/components.py)."""
    message = tracker.latest_message
    return message.get("whole_text") or message.get("text") or ""


def _say(dispatcher: CollectingDispatcher, reply: Reply, stations: Optional[list] = None) -> List[Dict[Text, Any]]:
    if stations:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message={"stations": stations})
    else:
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
            intent, Facts.from_slots(tracker.current_slot_values()), whole_text(tracker), first_answer(tracker)
        )
        if reply is None:
            dispatcher.utter_message(response="utter_default")
            return []
        if reply.topic in job_help.AFTER_TOPICS:
            # After dismissal guidance: where to look for the next job, before the closing question.
            offered = await blocking(_job_help, tracker, False)
            head, sep, tail = reply.text.rpartition("\n" + _CLOSING_QUESTION)
            text = f"{head}\n{offered['text']}{sep}{tail}" if sep else f"{reply.text}\n{offered['text']}"
            return _say(dispatcher, replace(reply, text=text), offered["stations"])
        return _say(dispatcher, reply)


def _job_help(tracker: Tracker, ask_place: bool = True) -> Dict[str, Any]:
    """The job-help offer for this worker's place (this message's, an earlier one, the kiosk's)."""
    text = tracker.latest_message.get("text") or ""
    kiosk = (tracker.latest_message.get("metadata") or {}).get("kiosk_station")
    cards_drawn = (tracker.get_latest_input_channel() or "") in CARD_CHANNELS
    try:
        return job_help.offer(
            station_finder(),
            _location(tracker),
            text,
            tracker.get_slot("location"),
            kiosk,
            ask_place=ask_place,
            spelled_out=not cards_drawn,
        )
    except Exception:  # no station list: the hotlines still help
        logger.exception("job help: station search failed")
        return {"text": job_help.OFFER, "stations": []}


def _location(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "location":
            return str(entity.get("value"))
    return None


# What an intent the FAQ overruled nothing for says instead (job_seeking: the job-help offer).
_OTHERWISE = {"inform": "utter_inform", "bot_challenge": "utter_iamabot"}


class ActionAnswerQuestion(Action):
    """Answers a question about the procedure; an out-of-scope or job question only when the FAQ
    answers it clearly (the intent is a prior, not a gate). A problem named in so many words is
    answered as that complaint whatever the intent."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        text, first = whole_text(tracker), first_answer(tracker)
        reply = None
        if intent != PROCEDURE:
            reply = worded_complaint(text, Facts.from_slots(tracker.current_slot_values()), first)
        reply = reply or question_reply(intent, text, first)
        if reply is None and intent == JOB_SEEKING:
            offered = await blocking(_job_help, tracker)
            _say(dispatcher, Reply(offered["text"]), offered["stations"])
            return []
        if reply is None:
            dispatcher.utter_message(response=_OTHERWISE.get(intent, "utter_out_of_scope"))
            return []
        return _say(dispatcher, reply)
