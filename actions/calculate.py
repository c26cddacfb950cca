"""The legal calculators as a short form: ask only what the chosen calculator needs."""

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form_guard import GuardedForm
from bot.dialogue import calculation_flow as flow
from bot.dialogue import fields, form_exits

CALC_SLOTS = [
    "calculator",
    "calc_wage",
    "calc_months",
    "calc_average",
    "calc_start",
    "calc_signed",
    "calc_left",
    "calc_claim",
    "calc_knew",
]


def _validator(slot: str):
    def validate(self, value, dispatcher, tracker, domain):
        clean, problem = flow.read(slot, value, date.today())
        if clean is None and tracker.get_slot("requested_slot") == slot:
            # "不是说了4年吗 4年零3个月" while the wage was asked: a correction, not a bad wage.
            fixed = flow.correction(tracker.get_slot("calculator"), tracker.latest_message.get("text") or "")
            if fixed:
                dispatcher.utter_message(text="好的，已经改过来了。" + flow.noted(fixed))
                return {slot: None, **fixed}
        if problem:
            dispatcher.utter_message(text=problem)
        return {slot: clean}

    return validate


def _said(tracker: Tracker) -> List[str]:
    return [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]


class ValidateCalcForm(GuardedForm):
    own_slots = CALC_SLOTS

    def name(self) -> Text:
        return "validate_calc_form"

    def answers_it(self, requested, text, tracker) -> bool:
        today = date.today()
        value, _ = flow.read(requested, text, today)
        return value is not None or flow.deny_answers(requested, text, today) != (None, None)

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        # The wage said to the calculator is not the money at stake in a case.
        kept = [SlotSet("amount", self.before(tracker, "amount"))]
        if not fields.set_since_last_message(tracker.events, "amount"):
            kept = []
        if tracker.get_slot("requested_slot"):
            if not form_exits.fresh(tracker.events):
                return kept + await super().run(dispatcher, tracker, domain)
            heard = form_exits.Heard.from_message(tracker.latest_message)
            fixed = flow.correction(tracker.get_slot("calculator"), heard.text)
            if fixed and form_exits.decide(heard, True) == form_exits.ANSWER:
                # "不是说了4年吗 4年零3个月": taken whatever was asked, then the next question.
                dispatcher.utter_message(text="好的，已经改过来了。" + flow.noted(fixed))
                slots = {**tracker.current_slot_values(), **fixed}
                requested = tracker.get_slot("requested_slot")
                if requested and requested not in fixed:
                    slots[requested] = None
                missing = [s for s in flow.required(slots.get("calculator"), slots) if slots.get(s) in (None, "")]
                events = [SlotSet(slot, value) for slot, value in fixed.items()]
                if requested and requested not in fixed:
                    events.append(SlotSet(requested, None))
                return kept + events + [SlotSet("requested_slot", missing[0] if missing else None)]
            return kept + await super().run(dispatcher, tracker, domain)
        # Starting (nothing asked yet): what the worker already said is not asked again.
        found = flow.known(tracker.get_slot("calculator"), tracker.current_slot_values(), _said(tracker))
        prefill = [SlotSet(slot, value) for slot, value in found.items()]
        if found:
            dispatcher.utter_message(text=flow.noted(found))
            tracker.add_slots(prefill)
        return prefill + await super().run(dispatcher, tracker, domain)

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return flow.required(tracker.get_slot("calculator"), tracker.current_slot_values())

    validate_calc_wage = _validator("calc_wage")
    validate_calc_months = _validator("calc_months")
    validate_calc_start = _validator("calc_start")
    validate_calc_signed = _validator("calc_signed")
    validate_calc_average = _validator("calc_average")
    validate_calc_left = _validator("calc_left")
    validate_calc_claim = _validator("calc_claim")
    validate_calc_knew = _validator("calc_knew")


def _ask_action(slot: str) -> type:
    """An action_ask_<slot> saying the question from bot/dialogue/calculation_flow.py."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        buttons = [{"title": answer, "payload": answer} for answer in flow.QUICK_ANSWERS.get(slot, [])]
        dispatcher.utter_message(text=flow.QUESTIONS[slot], buttons=buttons or None)
        return []

    return type(f"ActionAsk_{slot}", (Action,), {"name": lambda self: f"action_ask_{slot}", "run": run})


ActionAskCalcWage = _ask_action("calc_wage")
ActionAskCalcMonths = _ask_action("calc_months")
ActionAskCalcStart = _ask_action("calc_start")
ActionAskCalcSigned = _ask_action("calc_signed")
ActionAskCalcAverage = _ask_action("calc_average")
ActionAskCalcLeft = _ask_action("calc_left")
ActionAskCalcClaim = _ask_action("calc_claim")
ActionAskCalcKnew = _ask_action("calc_knew")


class ActionCalcDeny(Action):
    """A "no" during a calculation: "不清楚", "没签" or "还没走" answer the question; anything else stops it."""

    def name(self) -> Text:
        return "action_calc_deny"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        value, again = flow.deny_answers(requested, tracker.latest_message.get("text") or "", date.today())
        if value is not None:
            return [SlotSet(requested, value), FollowupAction("calc_form")]
        if again:  # the form asks its question once more
            dispatcher.utter_message(text=again)
            return [FollowupAction("calc_form")]
        dispatcher.utter_message(response="utter_deny")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(slot, None) for slot in CALC_SLOTS]


class ActionCalculate(Action):
    def name(self) -> Text:
        return "action_calculate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        dispatcher.utter_message(text=flow.explain(slots.get("calculator"), slots, date.today()))
        return [SlotSet(slot, None) for slot in CALC_SLOTS]
