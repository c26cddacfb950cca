"""Rasa 3.6 costs that profiling found in GongYou's own Rasa process, removed without changing
what Rasa does. Installed by `bot/runtime/rasa_server.py`, through which every GongYou Rasa
process starts.

- Every action-server reply is checked with `jsonschema.validate(result, schema)`, which first
  checks the schema itself against the JSON-Schema meta-schema: under load that was about half
  of the Rasa process's CPU time (py-spy, 30 simulated workers). The schema never changes, so it
  is checked once and its validator kept; each reply is still validated in full (a valid one
  with one pass of `is_valid`, an invalid one by collecting its errors as `jsonschema.validate` does).
  Each event is checked against the one branch of the events' `oneOf` that its name can match,
  not against all 23 (`_split_validators`).
- The conversation's history read once per event, not once per prediction: `rasa_history.py`.
- Tracker (de)serialisation in the stores: `rasa_serialisation.py`.
- The tracker copied before each action from its state, not by a replay: `rasa_tracker_copy.py`.
- Action-server calls on kept connections, their bodies written by orjson: `rasa_action_calls.py`.
- The in-memory store hands back the tracker it was given, not one rebuilt: `rasa_store_kept.py`.
- The NLU parse without dask's per-call set-up, the intent classifier's feature re-stacking and
  a second spaCy run of the same text: `rasa_nlu.py`.
- Actions in the Rasa process, no action server, when the action endpoint's url is `local`
  (the embedded stack's default): `rasa_local_actions.py`.
- A form's temporary tracker copied from the tracker's state, not by a replay: `rasa_form_tracker.py`.
- The RulePolicy's rule lookup stops when no rule left can change: `rasa_rules.py`.
- The loaded model frozen out of the garbage collector's walks: `rasa_gc.py`.

Each speed-up keeps Rasa's behaviour (tests/test_rasa_speedups_equivalence.py runs the same
conversations with and without them) and has a test that fails when it is not installed.
"""

from __future__ import annotations

import functools
from typing import Any, Dict

_installed = False


def _rasa_validate_action_result():
    """Rasa's own method, kept to compare against (tests)."""
    from rasa.core.actions.action import RemoteAction

    return _ORIGINAL.get("validate", RemoteAction._validate_action_result)


_ORIGINAL: Dict[str, Any] = {}


@functools.lru_cache(maxsize=1)
def _action_result_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _split_validators():
    """The same schema, checked in two parts: the reply without its events' `oneOf`, and each
    event against the one branch its `event` names.

    Every branch of that `oneOf` pins `event` to its own constant (checked here, or the split is
    not used), and `event` is a required string: an event can only ever match the branch of its
    own name, so "exactly one branch" is "its branch". jsonschema tried all 23 branches on every
    event (14 ms for the confirmation turn's reply, whose form resets a dozen slots)."""
    import copy

    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    item = schema["properties"]["events"]["items"]
    branches: Dict[str, Any] = {}
    for branch in item["oneOf"]:
        pinned = branch.get("properties", {}).get("event", {})
        if set(pinned) != {"const"} or not isinstance(pinned["const"], str) or pinned["const"] in branches:
            return None
        branches[pinned["const"]] = branch
    if item.get("required") != ["event"] or item["properties"]["event"] != {"type": "string"}:
        return None
    outer = copy.deepcopy(schema)
    outer["properties"]["events"]["items"] = {}
    common = {k: v for k, v in item.items() if k != "oneOf"}
    per_event = {name: cls({"allOf": [common, branch]}) for name, branch in branches.items()}
    return cls(outer), per_event


def _is_valid(result: Any) -> bool:
    split = _split_validators()
    if split is None or not isinstance(result, dict):
        return _action_result_validator().is_valid(result)
    outer, per_event = split
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or ():
        name = event.get("event") if isinstance(event, dict) else None
        branch = per_event.get(name) if isinstance(name, str) else None
        if branch is None:
            # no branch of its own: the whole schema judges it (and refuses it)
            if not _action_result_validator().is_valid({"events": [event]}):
                return False
        elif not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self, result: Dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    validator = _action_result_validator()
    if _is_valid(result):
        return True
    try:
        # best_match: the same error jsonschema.validate would raise.
        from jsonschema.exceptions import best_match

        error = best_match(validator.iter_errors(result))
        if error is not None:
            raise error
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            "Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


def install() -> None:
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction

    from bot.runtime import (
        rasa_action_calls,
        rasa_form_tracker,
        rasa_gc,
        rasa_history,
        rasa_local_actions,
        rasa_nlu,
        rasa_rules,
        rasa_serialisation,
        rasa_store_kept,
        rasa_tracker_copy,
    )

    _ORIGINAL.setdefault("validate", RemoteAction._validate_action_result)
    RemoteAction._validate_action_result = _validate_action_result
    rasa_history.install()
    rasa_serialisation.install()
    rasa_tracker_copy.install()
    rasa_action_calls.install()
    rasa_store_kept.install()
    rasa_nlu.install()
    rasa_local_actions.install()
    rasa_form_tracker.install()
    rasa_rules.install()
    rasa_gc.install()
    _installed = True
