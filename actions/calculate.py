"""The legal calculators as a short form: ask only what the chosen calculator needs."""

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import calculation_flow as flow

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
        if problem:
            dispatcher.utter_message(text=problem)
        return {slot: clean}

    return validate


class ValidateCalcForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_calc_form"

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
