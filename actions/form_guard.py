"""Every form's validation first asks bot/dialogue/form_exits.py whether the worker wants out.

Rasa runs a form's validation action after every message while the form is active (the form has
priority over rules), so checking here covers every step of every form: a cancel ends the form, a
request for a person is handed over at once, a question is answered and the same question asked
again.
"""

import abc
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import hand_over
from bot.dialogue import conversation, fields, form_exits
from bot.dialogue.complaints import Facts, complaint_reply, question_reply
from bot.topics import is_topic


def ended(requested: Optional[str], reset: List[Text]) -> List[Dict[Text, Any]]:
    """Events that close the form now; the SlotSet of a non-requested slot keeps Rasa from taking
    the turn for a failed extraction, and the follow-up keeps the form's own end rules away."""
    slots = {slot for slot in (requested, *reset) if slot}
    return (
        [ActiveLoop(None)]
        + [SlotSet(slot, None) for slot in sorted(slots)]
        + [SlotSet("requested_slot", None), FollowupAction("action_listen")]
    )


def answer_digression(dispatcher: CollectingDispatcher, heard: form_exits.Heard, slots: Dict[str, Any]) -> None:
    """Answers a question asked inside a form the way it is answered outside one."""
    if heard.intent in form_exits.RESPONSES:
        dispatcher.utter_message(response=form_exits.RESPONSES[heard.intent])
        return
    if heard.intent == "find_station":
        dispatcher.utter_message(text=form_exits.STATIONS_LATER)
        return
    if is_topic(heard.intent):
        reply = complaint_reply(heard.intent, Facts.from_slots(slots), heard.text)
    else:
        reply = question_reply(heard.intent, heard.text)
    dispatcher.utter_message(text=reply.text if reply else form_exits.NOT_SURE)


class GuardedForm(FormValidationAction, abc.ABC):
    """A form validation that lets the worker out at every step (abstract: the action server
    registers only its subclasses, one per form)."""

    # Slots this form fills, cleared when the worker cancels.
    own_slots: List[Text] = []
    # Whether data/rules.yml has the form's "question, then back to it" rules (only the intake).
    digressions_by_rule = False

    @abc.abstractmethod
    def name(self) -> Text: ...

    def answers_it(self, requested: Optional[str], text: str, tracker: Tracker) -> bool:
        """Whether the message is a well-formed answer to the question asked."""
        return False

    def free_text(self, requested: Optional[str]) -> bool:
        return False

    def cancelled(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=form_exits.CANCELLED[self.form_name()])
        return ended(tracker.get_slot("requested_slot"), self.own_slots)

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        active = (tracker.active_loop or {}).get("name") == self.form_name()
        heard = form_exits.Heard.from_message(tracker.latest_message)
        if not active or not requested or not form_exits.fresh(tracker.events):
            # Starting (nothing asked yet), or back after a rule already answered this message.
            return await super().run(dispatcher, tracker, domain)
        wants = form_exits.decide(heard, self.answers_it(requested, heard.text, tracker), self.free_text(requested))
        if wants == form_exits.CANCEL:
            return self.cancelled(dispatcher, tracker)
        if wants == form_exits.HANDOFF:
            recorded = await hand_over(tracker, "asked")
            dispatcher.utter_message(text=conversation.handoff_text(recorded, tracker.get_slot("phone")))
            return ended(requested, [])
        if wants == form_exits.DIGRESS:
            # What the question mentioned in passing does not change the answers given so far.
            restore = [SlotSet(slot, self.before(tracker, slot)) for slot in tracker.slots_to_validate()]
            if self.digressions_by_rule:
                # data/rules.yml answers it and comes back to the form (the form steps aside).
                return restore + [ActionExecutionRejected(self.form_name())]
            answer_digression(dispatcher, heard, tracker.current_slot_values())
            dispatcher.utter_message(text=form_exits.RESUME)
            return restore + [SlotSet(requested, None), SlotSet("requested_slot", requested)]
        self.fill_unmapped(requested, heard, tracker)
        return await super().run(dispatcher, tracker, domain)

    def fill_unmapped(self, requested: Text, heard: form_exits.Heard, tracker: Tracker) -> None:
        """Takes the message as the answer when the slot mappings left it out (by its intent)."""

    @staticmethod
    def before(tracker: Tracker, slot: Text) -> Any:
        values = fields.history_before_last_message(tracker.events, slot)
        return values[-1] if values else None
