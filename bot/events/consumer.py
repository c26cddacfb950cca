"""Keeps the dashboard statistics current from Rasa's events on RabbitMQ (`python -m bot.events.consumer`).

Reads the queue Rasa's PikaEventBroker publishes to (RABBITMQ_QUEUE, bound to Rasa's fanout
exchange RABBITMQ_EXCHANGE), counts each event in the case database (DATABASE_URL) and only then
acknowledges it.
A consumer that dies between the two gets the message again; bot/events/counting.py skips it.
A database that is down: the message goes back to the queue and is tried again a little later.

The queue is bounded (QUEUE_ARGUMENTS): events, which carry what workers typed, wait at most
RABBITMQ_EVENT_TTL_HOURS (7 days) and at most RABBITMQ_MAX_EVENTS (1,000,000, the oldest dropped
first) for a consumer. Rasa declares the queue with the same arguments (bot/runtime/event_broker.py);
RabbitMQ refuses to redeclare an existing queue with other arguments, so a queue made before these
limits must be deleted once (`rabbitmqctl delete_queue gongyou_events`, after the consumer drained it).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Optional

import aio_pika
from sqlalchemy.engine import Engine

from bot import settings
from bot.events.counting import count_event, prune_keys
from bot.privacy import install_log_masking

logger = logging.getLogger("gongyou.events")

RASA_EXCHANGE = "rasa-exchange"  # rasa.core.brokers.pika.RABBITMQ_EXCHANGE
PREFETCH = 64
RETRY_DELAY = 2.0
PRUNE_EVERY = 3600.0


def queue_arguments() -> dict:
    """x-message-ttl (ms) and x-max-length of the events queue; Rasa's broker declares the same."""
    hours, most = settings.event_queue_limits()
    return {"x-message-ttl": int(hours * 3600 * 1000), "x-max-length": most}


def amqp_url(env=os.environ) -> str:
    return (
        f"amqp://{env.get('RABBITMQ_USER', 'guest')}:{env.get('RABBITMQ_PASSWORD', 'guest')}@"
        f"{env.get('RABBITMQ_HOST', '127.0.0.1')}:{env.get('RABBITMQ_PORT', '5672')}/"
    )


async def declare(
    channel: aio_pika.abc.AbstractChannel, queue_name: str, exchange_name: str = RASA_EXCHANGE
) -> aio_pika.abc.AbstractQueue:
    """The same durable queue and binding Rasa declares, so events sent before any consumer ran wait."""
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.FANOUT)
    queue = await channel.declare_queue(queue_name, durable=True, arguments=queue_arguments())
    await queue.bind(exchange, "")
    return queue


async def handle(engine: Engine, message: aio_pika.abc.AbstractIncomingMessage) -> None:
    loop = asyncio.get_running_loop()
    try:
        counted = await loop.run_in_executor(None, count_event, engine, message.body)
    except Exception as exc:  # database down or refusing: keep the message, try later
        logger.warning("event not counted, back to the queue: %s", type(exc).__name__)
        await asyncio.sleep(RETRY_DELAY)
        await message.nack(requeue=True)
        return
    if not counted and message.redelivered:
        logger.info("redelivered event already counted, skipped")
    await message.ack()


async def consume(
    engine: Engine, url: str, queue_name: str, stop: Optional[asyncio.Event] = None, exchange_name: str = RASA_EXCHANGE
) -> None:
    stop = stop or asyncio.Event()
    connection = await aio_pika.connect_robust(url, timeout=10)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=PREFETCH)
        queue = await declare(channel, queue_name, exchange_name)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await handle(engine, message)

        tag = await queue.consume(on_message)
        logger.info("counting events from queue %s", queue_name)
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=PRUNE_EVERY)
            except asyncio.TimeoutError:
                await asyncio.get_running_loop().run_in_executor(None, prune_keys, engine)
        await queue.cancel(tag)


def main() -> None:
    from bot.storage.engine import make_engine, upgrade

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    install_log_masking()
    engine = make_engine()
    upgrade(engine)
    stop = asyncio.Event()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await consume(
            engine, amqp_url(), settings.rabbitmq_queue(), stop, os.environ.get("RABBITMQ_EXCHANGE", RASA_EXCHANGE)
        )

    asyncio.run(run())


if __name__ == "__main__":
    main()
