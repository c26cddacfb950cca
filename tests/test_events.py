"""The events consumer against the real RabbitMQ and PostgreSQL: every event counted once, also
when RabbitMQ delivers a message again because the consumer died before acknowledging it."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date

import aio_pika
import pytest

from tests.services import AMQP, create_database, drop_database, unique

pytestmark = pytest.mark.production

T0 = 1795400000.0  # 2026-11-23 ~ 08:53 Beijing time


def user(sender, intent, at):
    return {
        "sender_id": sender,
        "event": "user",
        "timestamp": at,
        "text": "…",
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
    }


EVENTS = [
    user("w1", "wage_arrears", T0),
    user("w1", "open_case", T0 + 1),
    {"sender_id": "w1", "event": "slot", "timestamp": T0 + 2, "name": "case_no", "value": "GY20261123-0001"},
    user("w2", "wage_arrears", T0 + 3),
    {"sender_id": "w2", "event": "action", "timestamp": T0 + 4, "name": "action_handoff"},
    {"sender_id": "w2", "event": "slot", "timestamp": T0 + 5, "name": "case_no", "value": None},
    {"sender_id": "w2", "event": "bot", "timestamp": T0 + 6, "text": "好的"},
    # A replica that died after opening the case: the other one sets the same case number again.
    {"sender_id": "w1", "event": "slot", "timestamp": T0 + 7, "name": "case_no", "value": "GY20261123-0001"},
    user("w3", "greet", T0 + 86400),
]


@pytest.fixture()
def engine():
    from bot.storage.engine import make_engine, upgrade

    name = unique()
    engine = make_engine(create_database(name))
    upgrade(engine)
    yield engine
    engine.dispose()
    drop_database(name)


async def publish_and_redeliver(exchange_name: str, queue_name: str, engine) -> list:
    """Publish the events; take the first three, count them as the consumer does, then drop the
    connection without acknowledging (a consumer killed between commit and ack)."""
    from bot.events.consumer import declare
    from bot.events.counting import count_event

    connection = await aio_pika.connect_robust(AMQP, timeout=10)
    async with connection:
        channel = await connection.channel()
        await declare(channel, queue_name, exchange_name)
        exchange = await channel.get_exchange(exchange_name)
        for event in EVENTS:
            await exchange.publish(aio_pika.Message(json.dumps(event).encode()), "")
    dying = await aio_pika.connect(AMQP, timeout=10)
    channel = await dying.channel()
    queue = await channel.get_queue(queue_name)
    taken = []
    for _ in range(3):
        message = await queue.get(no_ack=False, timeout=10)
        taken.append(message.body)
        count_event(engine, message.body)
    await dying.close()  # no ack: RabbitMQ delivers these three again

    check = await aio_pika.connect(AMQP, timeout=10)
    async with check:
        channel = await check.channel()
        queue = await channel.get_queue(queue_name)
        again = await queue.get(no_ack=False, timeout=10)
        flags = [again.redelivered]
        await again.nack(requeue=True)
    return flags


async def consume_until_empty(engine, queue_name: str, exchange_name: str) -> None:
    from bot.events.consumer import consume

    stop = asyncio.Event()
    task = asyncio.create_task(consume(engine, AMQP, queue_name, stop, exchange_name))
    connection = await aio_pika.connect(AMQP, timeout=10)
    async with connection:
        channel = await connection.channel()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            queue = await channel.declare_queue(queue_name, durable=True, passive=True)
            if queue.declaration_result.message_count == 0:
                break
        await asyncio.sleep(1)  # the last messages' acks
        stop.set()
        await asyncio.wait_for(task, 30)
        await channel.queue_delete(queue_name)
        await channel.exchange_delete(exchange_name)


def test_each_event_counted_once_across_redelivery(engine):
    from bot.events.stats import conversation_stats

    name = unique("gongyou_test_events")
    redelivered = asyncio.run(publish_and_redeliver(name, name, engine))
    assert redelivered == [True]
    asyncio.run(consume_until_empty(engine, name, name))

    stats = conversation_stats(engine, days=30, today=date(2026, 11, 24))
    first, second = stats["days"][1], stats["days"][0]
    assert first["day"] == "2026-11-23" and second["day"] == "2026-11-24"
    assert first["messages"] == 3 and first["conversations"] == 2
    assert first["cases_confirmed"] == 1 and first["handoffs"] == 1
    assert second["messages"] == 1 and second["conversations"] == 1
    assert stats["intents"] == {"wage_arrears": 2, "open_case": 1, "greet": 1}
    assert stats["totals"]["messages"] == 4


def test_counting_the_same_message_twice_changes_nothing(engine):
    from bot.events.counting import count_event
    from bot.events.stats import conversation_stats

    body = json.dumps(user("w9", "overtime", T0)).encode()
    assert count_event(engine, body) is True
    assert count_event(engine, body) is False
    assert count_event(engine, b"not json") is False
    stats = conversation_stats(engine, days=2, today=date(2026, 11, 23))
    assert stats["totals"]["messages"] == 1 and stats["intents"] == {"overtime": 1}
