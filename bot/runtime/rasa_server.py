"""`python -m bot.runtime.rasa_server run …`: Rasa's own command line, with GongYou's speed-ups.

Every GongYou Rasa process (make run, make run-production, Kubernetes) starts through here, so
the speed-ups of `bot/runtime/rasa_speedups.py` are installed before Rasa handles a message and
no served module (channels, web side) has to import the runtime to get them.
"""

from __future__ import annotations

import sys

from bot.runtime import rasa_speedups


def main() -> int:
    rasa_speedups.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
