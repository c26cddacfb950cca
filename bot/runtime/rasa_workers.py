"""Conversations spread over worker processes that share the loaded model (GONGYOU_RASA_WORKERS).

Rasa serves every turn on one event loop in one process: under `make bench-load` the Rasa
process filled one core while the machine's second sat mostly idle (py-spy). Rasa's own answer,
Sanic workers, loads the model again in each worker (about 1.1 GB each here) and needs stores
shared between processes (Redis, SQL), which `make run` does not have.

Here the Rasa process loads the model once, freezes it (rasa_gc.py) and then forks the workers,
which share its memory page for page until one of them writes. The Rasa process keeps its HTTP
server, the channels and the API; each sender belongs to one worker (crc32 of the sender id),
which keeps that sender's conversation in its own store and handles every one of its messages
under its own lock, as Rasa does in one process. In the Rasa process:
- `agent.handle_message` sends the message's fields to the sender's worker, which runs Rasa's
  own `Agent.handle_message` with an output channel that records what it is sent; the Rasa
  process then sends the same responses, in the same order, through the real output channel.
- The tracker store asks the owning worker to retrieve and save (the API's
  `GET /conversations/{id}/tracker`, erasure's `PUT …/tracker/events`), and every worker for keys.
- The lock store holds the owning worker's lock: an API call under `lock_store.lock(id)` never
  interleaves with that sender's turn.
A worker that dies stops the Rasa process (the conversations it kept are gone, as they would be
had the whole process died), so that its supervisor (`make run`'s launcher, the production
command, Kubernetes) starts it again instead of half the senders getting no answer.

Responses reach the channel when the worker's turn is over, not one by one as they are made.
GongYou schedules no Rasa reminders (return visits are the web side's, bot/followups/): one
would fire in a worker, whose recording channel sends nowhere once its turn is over. Swapping
the model through the API (`PUT /model`, not served by GongYou) would reach this process only.

The two ends are one program forked from one process on a socketpair: frames are pickled.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import logging
import os
import pickle
import signal
import socket
import struct
import time
import zlib
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Dict, Iterable, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.lock_store import LOCK_LIFETIME, LockStore, TicketLock
from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.runtime import rasa_gc

logger = logging.getLogger(__name__)

_ORIGINAL: Dict[str, Any] = {}
_HEADER = struct.Struct("!I")


class WorkerError(RuntimeError):
    """What went wrong in a worker, as its message (the worker logged the traceback)."""


class WorkerLost(WorkerError):
    """The worker's socket closed: it died."""


def owner(sender_id: Text, workers: int) -> int:
    """The worker that keeps this sender's conversation: the same in every process and run
    (Python's own `hash` of a string changes from one process start to the next)."""
    return zlib.crc32(sender_id.encode("utf-8", "surrogatepass")) % workers


# Each worker adds what it writes of its own (about 170 MB after a busy minute here) to the
# shared model: on a many-core laptop or kiosk, `auto` stops here; a number overrides it.
AUTO_MOST = 4


def count(endpoints: Any = None, env: Optional[Dict[str, str]] = None) -> int:
    """How many workers to fork: GONGYOU_RASA_WORKERS, or by default one per core this process
    may run on (at most AUTO_MOST) when conversations are kept in memory (`make run`); 0 or 1
    handles every turn in the Rasa process itself. With a store shared between processes the
    production command scales by replicas instead, so the default there is none."""
    chosen = settings.rasa_workers(env)
    if chosen is not None:
        return chosen if chosen > 1 else 0
    store = getattr(endpoints, "tracker_store", None)
    kind = str(getattr(store, "type", None) or "").lower()
    if kind and "inmemory" not in kind.replace("_", ""):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, AUTO_MOST) if cores > 1 else 0


# -- frames ---------------------------------------------------------------------------------
async def _read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    return pickle.loads(await reader.readexactly(size))


def _frame(obj: Any) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


class _Writer:
    """One writer shared by concurrent coroutines: Python 3.10's `drain` must not be awaited
    by two at once."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._lock = asyncio.Lock()

    async def send(self, obj: Any) -> None:
        data = _frame(obj)
        async with self._lock:
            self._writer.write(data)
            await self._writer.drain()

    def close(self) -> None:
        self._writer.close()


# -- the worker's side ----------------------------------------------------------------------
class RecordingOutputChannel(OutputChannel):
    """What Rasa sends during a turn, kept to be sent again by the Rasa process through the real
    channel. It answers to the real channel's name: Rasa picks channel-specific responses by it."""

    def __init__(self, channel_name: Text) -> None:
        self._channel_name = channel_name
        self.sent: List[Tuple[Text, Dict[Text, Any]]] = []

    def name(self) -> Text:
        return self._channel_name

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent.append((recipient_id, dict(message)))


class _Worker:
    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self.held: Dict[int, asyncio.Event] = {}
        self.tasks: Set[asyncio.Future] = set()
        self.tokens = 0

    async def handle(self, fields: Dict[str, Any], channel_name: Text) -> List[Tuple[Text, Dict[Text, Any]]]:
        recorder = RecordingOutputChannel(channel_name)
        await self.agent.handle_message(UserMessage(output_channel=recorder, **fields))
        return recorder.sent

    async def retrieve(self, sender_id: Text, full: bool) -> Optional[Text]:
        store = self.agent.tracker_store
        tracker = await (store.retrieve_full_tracker(sender_id) if full else store.retrieve(sender_id))
        return None if tracker is None else SerializedTrackerAsText.serialise_tracker(tracker)

    async def save(self, sender_id: Text, serialised: Text) -> None:
        store = self.agent.tracker_store
        tracker = TrackerStore.deserialise_tracker(store, sender_id, serialised)
        await store.save(tracker)

    async def keys(self) -> List[Text]:
        return list(await self.agent.tracker_store.keys())

    async def lock(self, conversation_id: Text, lifetime: float, wait: float) -> int:
        """Takes the sender's lock and holds it until `unlock` (or its lifetime, as Rasa's lock
        would expire, if the Rasa process never says)."""
        self.tokens += 1
        token = self.tokens
        granted: asyncio.Future = asyncio.get_running_loop().create_future()
        release = self.held[token] = asyncio.Event()

        async def hold() -> None:
            try:
                async with self.agent.lock_store.lock(conversation_id, lifetime, wait):
                    granted.set_result(token)
                    try:
                        await asyncio.wait_for(release.wait(), lifetime)
                    except asyncio.TimeoutError:
                        logger.warning("a lock held for the API expired unreleased")
            except Exception as exc:
                if not granted.done():
                    granted.set_exception(exc)
            finally:
                self.held.pop(token, None)

        self._keep(asyncio.ensure_future(hold()))
        return await granted

    async def unlock(self, token: int) -> None:
        release = self.held.get(token)
        if release is not None:
            release.set()

    def _keep(self, task: asyncio.Future) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def serve(self, sock: socket.socket) -> None:
        reader, raw = await asyncio.open_unix_connection(sock=sock)
        writer = _Writer(raw)
        ops: Dict[str, Callable] = {
            "handle": self.handle,
            "retrieve": self.retrieve,
            "save": self.save,
            "keys": self.keys,
            "lock": self.lock,
            "unlock": self.unlock,
        }

        async def run(request: int, op: str, args: Tuple) -> None:
            try:
                value, ok = await ops[op](*args), True
            except Exception as exc:
                logger.exception("worker %s: %s failed", os.getpid(), op)
                value, ok = f"{type(exc).__name__}: {exc}", False
            try:
                await writer.send((request, ok, value))
            except Exception:  # the Rasa process is gone; the read below ends the loop
                logger.debug("worker %s: a reply could not be sent", os.getpid())

        while True:
            try:
                request, op, args = await _read_frame(reader)
            except (asyncio.IncompleteReadError, ConnectionError, OSError):
                break  # the Rasa process closed its end or died: nothing more will come
            self._keep(asyncio.ensure_future(run(request, op, args)))
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=10)
        writer.close()


def _share_the_caches(workers: int) -> None:
    """Each worker keeps its own senders' replays and trackers (rasa_history.py,
    rasa_store_kept.py): the process's bound on them is shared out, so that together the workers
    keep as many as one process did, not that many each (their checkpoints were most of what a
    worker's memory grew by under load)."""
    from bot.runtime import rasa_history, rasa_store_kept

    rasa_history.RECENT_CONVERSATIONS = max(1, rasa_history.RECENT_CONVERSATIONS // workers)
    rasa_store_kept.KEPT = max(1, rasa_store_kept.KEPT // workers)


def _child(agent: Any, sock: socket.socket, index: int, workers: int) -> None:
    """The forked worker's whole life; never returns into the Rasa process's stack."""
    code = 0
    try:
        _share_the_caches(workers)
        # Forked inside a callback of the Rasa process's running loop: that loop (its selector,
        # its signal wake-up) belongs to the parent. Ctrl-C reaches the whole process group: the
        # worker ends when the Rasa process closes the socket, after the turns it has begun.
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        asyncio.events._set_running_loop(None)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        logger.info("Rasa worker %d (pid %d) is serving.", index, os.getpid())
        loop.run_until_complete(_Worker(agent).serve(sock))
    except BaseException:
        logger.exception("Rasa worker %d stopped", index)
        code = 1
    finally:
        logging.shutdown()
        os._exit(code)


# -- the Rasa process's side ----------------------------------------------------------------
class _Link:
    """The Rasa process's end of one worker's socket: calls, each answered by its number."""

    def __init__(self, index: int, pid: int, sock: socket.socket) -> None:
        self.index, self.pid, self.sock = index, pid, sock
        self.pending: Dict[int, asyncio.Future] = {}
        self.requests = 0
        self.writer: Optional[_Writer] = None
        self.reading: Optional[asyncio.Future] = None  # the reply reader, kept so it is not collected
        self.lost = False

    async def open(self, on_lost: Callable[["_Link"], None]) -> None:
        reader, raw = await asyncio.open_unix_connection(sock=self.sock)
        self.writer = _Writer(raw)
        self.reading = asyncio.ensure_future(self._read(reader, on_lost))

    async def _read(self, reader: asyncio.StreamReader, on_lost: Callable[["_Link"], None]) -> None:
        try:
            while True:
                request, ok, value = await _read_frame(reader)
                waiting = self.pending.pop(request, None)
                if waiting is None or waiting.done():
                    continue
                if ok:
                    waiting.set_result(value)
                else:
                    waiting.set_exception(WorkerError(value))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        self.lost = True
        for waiting in self.pending.values():
            if not waiting.done():
                waiting.set_exception(WorkerLost(f"Rasa worker {self.index} (pid {self.pid}) is gone"))
        self.pending.clear()
        on_lost(self)

    async def call(self, op: str, *args: Any) -> Any:
        if self.lost or self.writer is None:
            raise WorkerLost(f"Rasa worker {self.index} (pid {self.pid}) is gone")
        self.requests += 1
        request = self.requests
        answer: asyncio.Future = asyncio.get_running_loop().create_future()
        self.pending[request] = answer
        try:
            await self.writer.send((request, op, args))
            return await answer
        finally:
            self.pending.pop(request, None)


class WorkerPool:
    def __init__(self, links: List[_Link]) -> None:
        self.links = links
        self.stopping = False
        self.on_lost: Callable[[_Link], None] = _stop_this_process

    def link(self, sender_id: Text) -> _Link:
        return self.links[owner(sender_id, len(self.links))]

    async def open(self) -> None:
        for link in self.links:
            await link.open(self._lost)

    def _lost(self, link: _Link) -> None:
        if not self.stopping:
            self.on_lost(link)

    def close(self) -> None:
        self.stopping = True
        for link in self.links:
            if link.writer is not None:
                link.writer.close()
            else:
                link.sock.close()
        for link in self.links:
            _reap(link.pid)


def _stop_this_process(link: _Link) -> None:
    logger.error("Rasa worker %d (pid %d) died: stopping this Rasa process to be started again.", link.index, link.pid)
    os.kill(os.getpid(), signal.SIGTERM)


def _reap(pid: int, timeout: float = 15.0) -> None:
    """Waits for a worker to finish the turns it began, then kills it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class WorkerTrackerStore(TrackerStore, SerializedTrackerAsText):
    """The Rasa process's tracker store: each conversation is kept by its sender's worker."""

    def __init__(self, pool: WorkerPool, domain: Any) -> None:
        super().__init__(domain)
        self.pool = pool

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.pool.link(tracker.sender_id).call("save", tracker.sender_id, self.serialise_tracker(tracker))

    async def _retrieve(self, sender_id: Text, full: bool) -> Optional[DialogueStateTracker]:
        serialised = await self.pool.link(sender_id).call("retrieve", sender_id, full)
        return None if serialised is None else self.deserialise_tracker(sender_id, serialised)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrieve(sender_id, False)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrieve(conversation_id, True)

    async def keys(self) -> Iterable[Text]:
        found: List[Text] = []
        for link in self.pool.links:
            found.extend(await link.call("keys"))
        return found


class WorkerLockStore(LockStore):
    """The Rasa process's lock store: a sender's lock is its worker's."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        link = self.pool.link(conversation_id)
        token = await link.call("lock", conversation_id, lock_lifetime, wait_time_in_seconds)
        try:
            yield TicketLock(conversation_id)
        finally:
            await link.call("unlock", token)

    # Only `lock` is used with this store; these are its abstract parts.
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return None

    def delete_lock(self, conversation_id: Text) -> None:
        return None

    def save_lock(self, lock: TicketLock) -> None:
        return None


def _forwarding(agent: Any, pool: WorkerPool) -> Callable:
    async def handle_message(message: UserMessage) -> Optional[List[Dict[Text, Any]]]:
        if not agent.is_ready():
            logger.info("Ignoring message as there is no agent to handle it.")
            return None
        fields = {
            "text": message.text,
            "sender_id": message.sender_id,
            "parse_data": message.parse_data,
            "input_channel": message.input_channel,
            "message_id": message.message_id,
            "metadata": message.metadata,
        }
        channel = message.output_channel
        sent = await pool.link(message.sender_id).call("handle", fields, channel.name())
        for recipient_id, response in sent:
            await channel.send_response(recipient_id, response)
        return channel.messages if isinstance(channel, CollectingOutputChannel) else None

    return handle_message


# One complaint with a place, one question, one station search: what the first turns read.
WARM_TEXTS = ("老板欠我两个月工资，一共八千，在重庆渝中区", "劳动仲裁要多长时间", "附近的调解中心在哪里")


async def warm(agent: Any) -> None:
    """Loads, once and before forking, what each worker would otherwise load on its first turns
    and then hold a copy of: jieba's own dictionary and its part-of-speech tables (about 100 MB,
    read by the NLU and the place lookup), the place table, the FAQ's index. The workers then
    share those pages with this process. Nothing is written: no conversation, no case."""
    from bot.law import faq
    from bot.stations.locate import locate_text

    for text in WARM_TEXTS:
        try:
            await agent.parse_message(text)
            locate_text(text)
            faq.rank(text)
        except Exception:  # the first turn then loads it, in each worker: slower, not wrong
            logger.warning("warming up before forking the workers failed", exc_info=True)
            return


def spread(agent: Any, workers: int) -> WorkerPool:
    """Forks the workers from this process (the agent loaded, nothing served yet) and points
    this process's agent at them; call `pool.open()` on the running loop before serving."""
    links: List[_Link] = []
    for index in range(workers):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            ours.close()
            for earlier in links:
                earlier.sock.close()
            _child(agent, theirs, index, workers)
        theirs.close()
        links.append(_Link(index, pid, ours))
    pool = WorkerPool(links)
    store, locks = WorkerTrackerStore(pool, agent.domain), WorkerLockStore(pool)
    agent.tracker_store = store
    agent.lock_store = locks
    if agent.processor is not None:
        agent.processor.tracker_store = store
        agent.processor.lock_store = locks
    agent.handle_message = _forwarding(agent, pool)
    return pool


def _after_loading(load: Callable) -> Callable:
    @functools.wraps(load)
    async def load_agent_on_start(model_path: Text, endpoints: Any, remote_storage: Any, app: Any, loop: Any) -> Any:
        agent = await load(model_path, endpoints, remote_storage, app, loop)
        workers = count(endpoints)
        if workers and agent.is_ready():
            await warm(agent)
            rasa_gc.settle()  # what the warm-up loaded joins the frozen model the workers share
            pool = spread(agent, workers)
            await pool.open()
            app.ctx.rasa_workers = pool
            atexit.register(pool.close)
            logger.info("Conversations are spread over %d Rasa workers.", workers)
        return agent

    load_agent_on_start.spreads = True  # type: ignore[attr-defined]
    return load_agent_on_start


def install() -> None:
    """Wraps Rasa's start-up after the other speed-ups (rasa_gc's freeze must come first, so that
    the workers share the frozen model)."""
    import rasa.core.run

    if installed():
        return
    _ORIGINAL.setdefault("load", rasa.core.run.load_agent_on_start)
    rasa.core.run.load_agent_on_start = _after_loading(rasa.core.run.load_agent_on_start)


def installed() -> bool:
    import rasa.core.run

    return getattr(rasa.core.run.load_agent_on_start, "spreads", False)
