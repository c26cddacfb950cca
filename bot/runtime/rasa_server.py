"""`python -m bot.runtime.rasa_server run …`: Rasa's own command line, with GongYou's speed-ups.

Every GongYou Rasa process (make run, make run-production, Kubernetes) starts through here, so
the speed-ups of `bot/runtime/rasa_speedups.py` are installed before Rasa handles a message and
no served module (channels, web side) has to import the runtime to get them. With
ACTION_SERVER_URL=local the actions run in this process (bot/runtime/rasa_local_actions.py).
"""

from __future__ import annotations

import sys

from bot import settings
from bot.runtime import rasa_action_failure, rasa_local_actions, rasa_speedups, rasa_workers


def main() -> int:
    rasa_speedups.install()
    # Not a speed-up: it changes what a worker sees when an action fails (a reply, not silence).
    rasa_action_failure.install()
    if settings.actions_in_process():
        # The actions' modules imported now, not on the first turn (on the event loop), and a
        # broken one stops Rasa here, as it stopped the action server.
        rasa_local_actions.executor()
    # After the speed-ups: the workers are forked once the model is loaded and frozen.
    rasa_workers.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
