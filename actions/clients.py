"""One case client per action-server process, and the thread that empties its outbox."""
import logging
import threading
import time

from bot.cases.client import CaseClient

logger = logging.getLogger(__name__)
FLUSH_EVERY_SECONDS = 20

_client = None
_lock = threading.Lock()


def _flush_forever(client: CaseClient) -> None:
    while True:
        time.sleep(FLUSH_EVERY_SECONDS)
        try:
            client.flush()
        except Exception:
            logger.exception("outbox flush failed")


def case_client() -> CaseClient:
    global _client
    with _lock:
        if _client is None:
            _client = CaseClient()
            threading.Thread(target=_flush_forever, args=(_client,), daemon=True, name="outbox").start()
        return _client
