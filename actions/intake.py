"""The draft-case form: validation, the confirmation summary, submission and cancelling."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import case_client
from bot.dialogue import intake
from bot.stations.routing import route_case

FORM_SLOTS = list(intake.FIELDS) + ["confirmed"]


def _checked(field: str, check, value: Any, dispatcher: CollectingDispatcher,
             tracker: Tracker) -> Dict[Text, Any]:
    text = tracker.latest_message.get("text") or ""
    if tracker.get_slot("requested_slot") == field and intake.corrects_another_field(text, field):
        # The text was taken for this slot only because it was the one asked; the entity
        # mapping has already put the corrected value where it belongs.
        dispatcher.utter_message(text="好的，已经改过来了。")
        return {field: None}
    clean, problem = check(value)
    if problem:
        dispatcher.utter_message(text=problem)
    return {field: clean}


def _validator(field: str, check):
    def validate(self, value, dispatcher, tracker, domain):
        return _checked(field, check, value, dispatcher, tracker)

    return validate


class ValidateCaseForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_case_form"

    validate_category = _validator("category", intake.check_category)
    validate_name = _validator("name", intake.check_name)
    validate_phone = _validator("phone", intake.check_phone)
    validate_employer = _validator("employer", intake.check_employer)
    validate_location = _validator("location", intake.check_location)
    validate_amount = _validator("amount", intake.check_amount)
    validate_duration = _validator("duration", intake.check_duration)
    validate_worker_count = _validator("worker_count", intake.check_worker_count)

    def validate_description(self, value, dispatcher, tracker, domain):
        text, problem, cut = intake.check_description(value)
        if problem:
            dispatcher.utter_message(text=problem)
        elif cut:
            dispatcher.utter_message(text=f"说明比较长，我保存了前{intake.DESCRIPTION_LIMIT}个字。")
        return {"description": text}

    def validate_confirmed(self, value, dispatcher, tracker, domain):
        if value is True:
            return {"confirmed": True}
        field = intake.correction_field(tracker.latest_message.get("text") or "")
        if field is None:
            dispatcher.utter_message(text="请点“确认提交”，或者说要改哪一项，比如“电话写错了”。")
            return {"confirmed": None}
        given = {e["entity"] for e in tracker.latest_message.get("entities") or []}
        if field in given:  # "电话写错了，是139…": the new value is already in the slot
            return {"confirmed": None}
        dispatcher.utter_message(text=f"好的，我们重新填一下{intake.LABELS[field]}。")
        return {"confirmed": None, field: None}


class ActionAskConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=intake.summary(tracker.current_slot_values()), buttons=[
            {"title": "确认提交", "payload": "/affirm"},
            {"title": "取消登记", "payload": "/deny"},
        ])
        return []


def _reset() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("requested_slot", None)]


class ActionSubmitCase(Action):
    """Sends the confirmed draft once (idempotency key = this confirmation), or keeps it safe."""

    def name(self) -> Text:
        return "action_submit_case"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        key = f"{tracker.sender_id}:{tracker.latest_message.get('message_id') or len(tracker.events)}"
        slots = tracker.current_slot_values()
        payload = intake.payload(slots, tracker.sender_id)
        kiosk = (tracker.latest_message.get("metadata") or {}).get("kiosk_station")
        routed = route_case(payload["location"], slots.get("category"), kiosk)
        if routed:
            payload["station_id"], payload["station_name"] = routed[0].id, routed[0].name
        result = case_client().submit(payload, key)
        if result.error:
            dispatcher.utter_message(text=f"没能登记：{result.error}")
            return _reset()
        if result.queued:
            dispatcher.utter_message(text=intake.QUEUED_TEXT)
            return _reset() + [SlotSet("pending_case_key", key)]
        dispatcher.utter_message(text=intake.submitted_text(result.case),
                                 json_message={"case": intake.case_card(result.case, routed[0] if routed else None)})
        if routed:
            dispatcher.utter_message(text=routed[1])
        return _reset() + [SlotSet("case_no", result.case["case_no"]), SlotSet("pending_case_key", None)]


class ActionIntakeDeny(Action):
    """A "no" during the intake: "不清楚" answers an optional question, anything else cancels."""

    def name(self) -> Text:
        return "action_intake_deny"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        if intake.deny_means_skip(requested, tracker.latest_message.get("text") or ""):
            return [SlotSet(requested, intake.UNKNOWN), FollowupAction("case_form")]
        dispatcher.utter_message(text=intake.CANCELLED_TEXT)
        return [ActiveLoop(None)] + _reset()
