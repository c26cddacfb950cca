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


_finder = None


def station_finder():
    """Stations from the case database (DATABASE_URL); a fresh one gets the demo list."""
    global _finder
    with _lock:
        if _finder is None:
            from bot.storage.engine import make_engine, upgrade
            from bot.stations.finder import StationFinder
            from bot.stations.store import ensure_some, load_all

            engine = make_engine()
            upgrade(engine)

            def load():
                ensure_some(engine)
                return load_all(engine)

            _finder = StationFinder(load)
        return _finder
