"""The draft-case form: the privacy notice and agreement, validation, the confirmation summary,
submission and cancelling."""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import blocking, case_client
from actions.documents import earlier_case, start_document
from actions.form_guard import GuardedForm, ended
from actions.roster import share_group_code
from bot.dialogue import fields, intake, privacy_notice
from bot.dialogue.document_intake import document_offer
from bot.stations.routing import route_case

logger = logging.getLogger(__name__)
FORM_SLOTS = list(intake.FIELDS) + ["consent", "health_consent", "confirmed"]


def _checked(field: str, check, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    text = tracker.latest_message.get("text") or ""
    requested = tracker.get_slot("requested_slot")
    if requested == field and intake.corrects_another_field(text, field):
        # The text was taken for this slot only because it was the one asked; the entity
        # mapping has already put the corrected value where it belongs.
        dispatcher.utter_message(text="好的，已经改过来了。")
        return {field: None}
    if requested == field and fields.is_evasive(text):
        # "问这么多干嘛" is not an employer: an optional question is skipped, a needed one explained.
        if field in intake.OPTIONAL:
            dispatcher.utter_message(text=fields.EVASIVE_OPTIONAL)
            return {field: intake.UNKNOWN}
        dispatcher.utter_message(text=fields.EVASIVE_PERSONAL)
        return {field: None}
    if requested == field == "location" and intake.is_company(text):
        # The employer, answered one question late: kept as the employer, the place asked again.
        employer, _ = intake.check_employer(text)
        dispatcher.utter_message(text="好的，这是单位的名字，我记在单位里了。")
        known = tracker.get_slot("employer") not in (None, "", intake.UNKNOWN)
        return {"location": None, **({} if known else {"employer": employer})}
    clean, problem = check(value)
    if problem and requested == field:
        dispatcher.utter_message(text=problem)
    if requested == "name" and field in fields.REMEMBERED:
        # A name is only a name: "吴江" answering it is no workplace.
        return {field: fields.settle(field, fields.history_before_last_message(tracker.events, field))}
    if field in fields.REMEMBERED:
        # A mention in passing (the description, a question) never replaces an answer given,
        # nor a vaguer name a precise one; a correction or the question itself does.
        earlier = fields.settle(field, fields.history_before_last_message(tracker.events, field))
        named = intake.correction_field(text)
        corrected = named == field or (requested == "confirmed" and named is not None and field in _entities(tracker))
        if corrected:  # "金额不对 是一万二 不是一万": the figure it is, not the one it is not
            clean = intake.corrected_number(field, text) or clean
        clean = fields.choose(field, earlier, clean, asked=requested == field, corrected=corrected)
    return {field: clean}


def _entities(tracker: Tracker) -> set:
    return {e.get("entity") for e in tracker.latest_message.get("entities") or []}


def _validator(field: str, check):
    def validate(self, value, dispatcher, tracker, domain):
        return _checked(field, check, value, dispatcher, tracker)

    return validate


def _personal_validator(field: str, check):
    """A personal field is taken only once the worker agreed (a phone number said earlier is dropped)."""

    def validate(self, value, dispatcher, tracker, domain):
        if not privacy_notice.is_agreement(tracker.get_slot("consent")):
            return {field: None}
        return _checked(field, check, value, dispatcher, tracker)

    return validate


class ValidateCaseForm(GuardedForm):
    own_slots = FORM_SLOTS
    digressions_by_rule = True

    def name(self) -> Text:
        return "validate_case_form"

    def free_text(self, requested) -> bool:
        return requested == "description"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        # Asked for a document with no case here: the number and code of an earlier one will do.
        earlier = await earlier_case(dispatcher, tracker)
        if earlier is not None:
            return earlier
        return await super().run(dispatcher, tracker, domain)

    def answers_it(self, requested, text, tracker) -> bool:
        return intake.answers(requested, text)

    def fill_unmapped(self, requested, heard, tracker) -> None:
        """An answer the classifier took for another intent ("查了一分没有" as case_status) is
        still the answer: the slot mappings leave those intents out, so it is taken here."""
        if requested not in intake.TAKES_ANY_INTENT or requested in tracker.slots_to_validate():
            return
        if heard.text and not heard.text.startswith("/") and intake.answers(requested, heard.text):
            tracker.add_slots([SlotSet(requested, heard.text)])

    def cancelled(self, dispatcher, tracker) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(text=privacy_notice.DECLINED if requested == "consent" else intake.CANCELLED_TEXT)
        return ended(requested, FORM_SLOTS)

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return intake.required_slots(domain_slots, tracker.current_slot_values())

    def validate_consent(self, value, dispatcher, tracker, domain):
        said = tracker.latest_message.get("text") or ""
        if privacy_notice.is_agreement(value) or (value is True and privacy_notice.says_yes(said)):
            return {"consent": privacy_notice.agreement()}
        dispatcher.utter_message(text=privacy_notice.ASK_AGAIN)
        return {"consent": None}

    def validate_health_consent(self, value, dispatcher, tracker, domain):
        if value is True and privacy_notice.says_yes(tracker.latest_message.get("text") or ""):
            return {"health_consent": True}
        dispatcher.utter_message(text=privacy_notice.ASK_AGAIN)
        return {"health_consent": None}

    validate_category = _validator("category", intake.check_category)
    validate_name = _personal_validator("name", intake.check_name)
    validate_phone = _personal_validator("phone", intake.check_phone)
    validate_employer = _validator("employer", intake.check_employer)
    validate_location = _validator("location", intake.check_location)
    validate_amount = _validator("amount", intake.check_amount)
    validate_duration = _validator("duration", intake.check_duration)
    validate_worker_count = _validator("worker_count", intake.check_worker_count)

    def validate_description(self, value, dispatcher, tracker, domain):
        if not privacy_notice.is_agreement(tracker.get_slot("consent")):
            return {"description": None}
        if fields.is_evasive(str(value or "")):
            dispatcher.utter_message(text=fields.EVASIVE_DESCRIPTION)
            return {"description": None}
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


class ActionAskConsent(Action):
    """The notice (PIPL §17) before the first personal question, and the request to agree (§14)."""

    def name(self) -> Text:
        return "action_ask_consent"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=privacy_notice.NOTICE, buttons=privacy_notice.CONSENT_BUTTONS)
        return []


class ActionAskHealthConsent(Action):
    """A work injury's description is health data: its own agreement (PIPL §28, §29)."""

    def name(self) -> Text:
        return "action_ask_health_consent"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=privacy_notice.HEALTH_NOTICE, buttons=privacy_notice.HEALTH_BUTTONS)
        return []


class ActionAskConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(
            text=intake.summary(tracker.current_slot_values()),
            buttons=[
                {"title": "确认提交", "payload": "/affirm"},
                {"title": "取消登记", "payload": "/deny"},
            ],
        )
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
        client = case_client()
        # Kept on disk before anything that can fail (routing reads the station database):
        # a confirmed draft is never lost.
        await blocking(client.outbox.put, key, payload)
        routed = await blocking(
            _route,
            payload["location"],
            slots.get("category"),
            (tracker.latest_message.get("metadata") or {}).get("kiosk_station"),
        )
        if routed:
            payload["station_id"], payload["station_name"] = routed[0].id, routed[0].name
        result = await blocking(client.submit, payload, key)
        if result.error:
            dispatcher.utter_message(text=f"没能登记：{result.error}")
            return _reset()
        if result.queued:
            dispatcher.utter_message(text=intake.QUEUED_TEXT)
            return _reset() + [SlotSet("pending_case_key", key)]
        assert result.case is not None  # a Submission holds a case, an error, or its place in the outbox
        dispatcher.utter_message(
            text=intake.submitted_text(result.case),
            json_message={"case": intake.case_card(result.case, routed[0] if routed else None)},
        )
        if routed:
            dispatcher.utter_message(text=routed[1])
        shared = await share_group_code(dispatcher, result.case, tracker.sender_id)
        opened = (
            _reset()
            + [
                SlotSet("case_no", result.case["case_no"]),
                SlotSet("pending_case_key", None),
                SlotSet("doc_topic", slots.get("category")),
            ]
            + shared
        )
        wanted = tracker.get_slot("doc_wanted")
        if wanted:  # the worker asked for a document before there was a case: on to it now
            return opened + start_document(wanted)
        offer = document_offer(slots.get("category"))
        if offer:
            dispatcher.utter_message(text=offer[0], buttons=offer[1])
        return opened


def _route(workplace: Optional[str], category: Optional[str], kiosk: Optional[str]):
    """(station, why) for the draft, or None: an unreachable station list sends it unrouted."""
    try:
        return route_case(workplace, category, kiosk)
    except Exception:
        logger.warning("no station for a draft: the station list is unavailable", exc_info=True)
        return None


class ActionIntakeDeny(Action):
    """A "no" during the intake: "不清楚" answers an optional question, a cancel or plain no cancels,
    and a message only taken for "no" is an answer or asked again."""

    def name(self) -> Text:
        return "action_intake_deny"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        if intake.deny_means_skip(requested, text):
            return [SlotSet(requested, intake.UNKNOWN), FollowupAction("case_form")]
        if requested == "health_consent" and not intake.is_cancel(text):
            # No to the injury's description only: the rest of the draft goes on without it.
            dispatcher.utter_message(text=privacy_notice.HEALTH_SKIPPED)
            return [SlotSet("health_consent", False), SlotSet("description", None), FollowupAction("case_form")]
        if fields.is_evasive(text) and requested in intake.FIELDS:
            if requested in intake.OPTIONAL:
                dispatcher.utter_message(text=fields.EVASIVE_OPTIONAL)
                return [SlotSet(requested, intake.UNKNOWN), FollowupAction("case_form")]
            dispatcher.utter_message(
                text=fields.EVASIVE_DESCRIPTION if requested == "description" else fields.EVASIVE_PERSONAL
            )
            return [FollowupAction("case_form")]
        if not intake.deny_cancels(requested, text):
            value = intake.taken_despite_no(requested, text)
            if value is not None:
                return [SlotSet(requested, value), FollowupAction("case_form")]
            dispatcher.utter_message(text=intake.NOT_A_NO)
            return [FollowupAction("case_form")]
        # No to the notice, or a cancel: nothing personal stays in the conversation.
        dispatcher.utter_message(text=privacy_notice.DECLINED if requested == "consent" else intake.CANCELLED_TEXT)
        return [ActiveLoop(None)] + _reset()
