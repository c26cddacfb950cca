"""A custom action that fails answers the worker, instead of leaving them with no reply.

Rasa 3.6 logs an action that raises (the action server down or answering 500, a bug in an
action, the case service timing out inside one) and goes on "but the actions events are lost":
the worker's message gets no reply at all, and on a phone that looks like the service died.
Here the processor's action gets a `run` that, on such a failure, returns one polite message
instead of nothing; everything else is Rasa's own path (the failure is still logged, the action
is still recorded as run, its events are still lost, the next prediction follows).

Only the action the processor runs is guarded: a form's validation action failing inside the
form is the form's failure (the form is guarded as a whole), so a form never takes unvalidated
values. A rejection (ActionExecutionRejection) is Rasa's own unhappy path and passes through.
Installed by bot/runtime/rasa_server.py, through which every GongYou Rasa process starts.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict

from bot.dialogue.conversation import ACTION_FAILED as FAILED

logger = logging.getLogger(__name__)

MARK = "action_failed"

_ORIGINAL: Dict[str, Any] = {}
_GUARDED = "_gongyou_failure_guarded"


def _guarded_run(run):
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.core.events import BotUttered

    @functools.wraps(run)
    async def guarded(*args: Any, **kwargs: Any):
        try:
            return await run(*args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception:
            # Only the kind of failure: its message may carry what the action server echoed.
            logger.error("an action failed; the worker was told so")
            return [BotUttered(FAILED, metadata={"gongyou": MARK})]

    setattr(guarded, _GUARDED, True)
    return guarded


async def _run_action(self, action, tracker, output_channel, nlg, prediction):
    if not getattr(action.run, _GUARDED, False):
        # On this action object only (a new one per prediction for custom actions and forms).
        action.run = _guarded_run(action.run)
    return await _ORIGINAL["_run_action"](self, action, tracker, output_channel, nlg, prediction)


def install() -> None:
    from rasa.core.processor import MessageProcessor

    if "_run_action" in _ORIGINAL:
        return
    _ORIGINAL["_run_action"] = MessageProcessor._run_action
    MessageProcessor._run_action = _run_action


def installed() -> bool:
    from rasa.core.processor import MessageProcessor

    return MessageProcessor._run_action is _run_action
