"""The chat channels' memory of senders with nothing pending (bot/followups/quiet.py), on its own
clock: a grant holds until it ends and no longer, a message that could answer a question is never
skipped, a call forgets the grant, and two calls in flight for one sender grant nothing."""

import pytest

from bot.followups import answers
from bot.followups.quiet import LONGEST, QuietSenders
from tests.test_followup_answers import examples

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


def granted(memory, sender, seconds):
    memory.answered(sender, memory.asking(sender), seconds)


def test_a_grant_holds_for_its_seconds_counted_from_before_the_call(clock):
    memory = QuietSenders(clock=clock)
    started = memory.asking("rest-a")
    clock.now += 0.5  # the call took half a second
    memory.answered("rest-a", started, 10)
    assert memory.skips("rest-a", "你好")
    clock.now += 9.4
    assert memory.skips("rest-a", "老板欠我工资")
    clock.now += 0.1  # ten seconds after the call started, not after it ended
    assert not memory.skips("rest-a", "谢谢")
    assert not memory.skips("rest-b", "你好")  # never granted


@pytest.mark.parametrize("seconds", [None, 0, -5])
def test_no_seconds_no_grant(clock, seconds):
    memory = QuietSenders(clock=clock)
    granted(memory, "rest-a", seconds)
    assert not memory.skips("rest-a", "你好") and len(memory) == 0


def test_a_grant_is_never_longer_than_the_longest(clock):
    memory = QuietSenders(clock=clock)
    granted(memory, "rest-a", 86400)
    clock.now += LONGEST
    assert not memory.skips("rest-a", "你好")


def test_a_message_that_could_answer_a_question_is_never_skipped(clock):
    memory = QuietSenders(clock=clock)
    granted(memory, "oWorker", 60)
    for text in ("收到了", "没有", "只收到一半", "5", "四分", "是的"):
        assert not memory.skips("oWorker", text), text
    assert memory.skips("oWorker", "你好")


@pytest.mark.parametrize("intent,text", list(examples()))
def test_every_return_visit_answer_of_the_training_file_could_answer(intent, text):
    assert answers.could_answer(text)


def test_a_call_forgets_the_grant_and_one_without_seconds_grants_nothing(clock):
    memory = QuietSenders(clock=clock)
    granted(memory, "rest-a", 60)
    started = memory.asking("rest-a")  # e.g. "收到了" went through
    assert not memory.skips("rest-a", "你好")
    memory.answered("rest-a", started, None)  # it answered a question: ask again next time
    assert not memory.skips("rest-a", "你好")


def test_two_calls_in_flight_for_one_sender_grant_nothing(clock):
    memory = QuietSenders(clock=clock)
    first = memory.asking("rest-a")
    second = memory.asking("rest-a")
    memory.answered("rest-a", first, 60)  # its "nothing" may predate what the second changed
    assert not memory.skips("rest-a", "你好")
    memory.answered("rest-a", second, 60)
    assert not memory.skips("rest-a", "你好")
    granted(memory, "rest-a", 60)  # alone again: granted
    assert memory.skips("rest-a", "你好")


def test_the_memory_keeps_at_most_its_limit_and_drops_ended_grants(clock):
    memory = QuietSenders(limit=3, clock=clock)
    for n in range(5):
        granted(memory, f"rest-{n}", 60)
    assert len(memory) == 3 and not memory.skips("rest-0", "你好") and memory.skips("rest-4", "你好")
    clock.now += 61
    granted(memory, "rest-5", 60)
    assert len(memory) == 1
