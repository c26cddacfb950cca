"""Rasa's RabbitMQ event broker, declaring its queues bounded like the consumer does.

Rasa 3.6 declares each queue durable and without limits, so events (what workers typed) pile up
forever when the consumer is down, and RabbitMQ would refuse the consumer's bounded declaration of
the same queue. Both now declare bot.events.consumer.queue_arguments().

endpoints.production.yml: `event_broker: type: bot.runtime.event_broker.BoundedPikaEventBroker`.
"""

from __future__ import annotations

from typing import Text

import aio_pika
from rasa.core.brokers.pika import PikaEventBroker


class BoundedPikaEventBroker(PikaEventBroker):
    @staticmethod
    async def _bind_queue(queue_name: Text, channel: aio_pika.RobustChannel, exchange: aio_pika.Exchange) -> None:
        from bot.events.consumer import queue_arguments

        queue = await channel.declare_queue(queue_name, durable=True, arguments=queue_arguments())
        await queue.bind(exchange, "")
