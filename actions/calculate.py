"""The legal calculators as a short form: ask only what the chosen calculator needs."""
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import calculation_flow as flow

CALC_SLOTS = ["calculator", "calc_wage", "calc_months", "calc_start", "calc_signed"]


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
        return flow.required(tracker.get_slot("calculator"))

    validate_calc_wage = _validator("calc_wage")
    validate_calc_months = _validator("calc_months")
    validate_calc_start = _validator("calc_start")
    validate_calc_signed = _validator("calc_signed")


def _ask_action(slot: str) -> type:
    """An action_ask_<slot> saying the question from bot/dialogue/calculation_flow.py."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=flow.QUESTIONS[slot])
        return []

    return type(f"ActionAsk_{slot}", (Action,), {"name": lambda self: f"action_ask_{slot}", "run": run})


ActionAskCalcWage = _ask_action("calc_wage")
ActionAskCalcMonths = _ask_action("calc_months")
ActionAskCalcStart = _ask_action("calc_start")
ActionAskCalcSigned = _ask_action("calc_signed")


class ActionCalculate(Action):
    def name(self) -> Text:
        return "action_calculate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        dispatcher.utter_message(text=flow.explain(slots.get("calculator"), slots, date.today()))
        return [SlotSet(slot, None) for slot in CALC_SLOTS]
