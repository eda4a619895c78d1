"""Publish/subscribe: a broker between the services that produce events and the ones that act on them.

When an order is placed, the billing service must charge it, the warehouse must pack it and the
mailer must send a receipt. If the order service called each of them directly, it would have to
know them all, wait for the slowest, and fail when any one is down. With **publish/subscribe**
it publishes one message, "order 42 placed", to a **topic** on a **broker** and moves on. Each
interested service has a **subscription** to the topic and gets its own copy of every message,
at its own pace; adding a fourth service means adding a subscription, not changing the
publisher. The broker keeps the messages until each subscription has dealt with them, so a
subscriber that is down for a minute catches up instead of missing the order.

What "dealt with" means is the heart of the design:

* **At most once**: the broker forgets a message as soon as it sends it. A lost packet or a
  consumer crash loses the message. Fine for a stock ticker, not for billing.
* **At least once**: the broker keeps the message until the consumer **acknowledges** it, and
  the consumer acknowledges only *after* processing. Whatever is not acknowledged within the
  **visibility timeout** is delivered again. Nothing is lost, but a message can arrive twice:
  the ack got lost, the consumer crashed after processing but before acking, the network
  duplicated the delivery. Acknowledging *before* processing turns this back into at most once:
  a crash in the middle loses the message, and nobody will ever send it again.
* **Exactly once** cannot be promised by the network, but its effect can be had: at-least-once
  delivery plus an **idempotent consumer**, one that remembers which message *ids* it has
  processed and skips a repeat (still acknowledging it, so the broker stops sending it). The id
  is what identifies a message: two customers paying 10 euros send equal payloads, and both
  must be charged. The consumer must remember an id for as long as a repeat can arrive, which
  is until the broker has recorded the ack: here, forever, on the consumer's own disk, since a
  consumer that forgets what it did when it restarts will happily do it again. (A production
  system bounds this by the broker's retention period, and stores the ids in the same
  transaction as the effect, so that "done" and "remembered" cannot disagree.)

Three more things a real broker does, and this one too:

* **Ordering per key.** Messages with the same key (a customer id, an account) must be
  processed in the order they were published: "account opened" before "account closed".
  Messages of different keys may go in parallel. So the broker has at most *one* unacknowledged
  message per key and subscription: a later message of the key waits until the earlier one is
  acknowledged (or given up on). Redelivering message 1 after message 2 has already been
  processed would break the order; waiting prevents it.
* **Durability.** A published message is written to the broker's disk *before* the publisher
  is told it was accepted; acks and dead letters are written too. A broker that crashes and
  restarts rebuilds its state from that log: nothing acknowledged to a publisher is lost, and
  nothing already acknowledged by a consumer is sent again.
* **Dead letters.** A *poison* message (one the consumer fails on every time) would otherwise be
  redelivered forever and, with ordering, block its key for good. After ``max_attempts``
  deliveries without an ack the broker moves it to the subscription's dead-letter list for a
  human to look at, and the key moves on.

The cluster, as far as this exercise needs it
---------------------------------------------
The broker and the consumers run on nodes of the suite's simulated cluster, which loses,
duplicates and reorders messages and crashes nodes. Each component gets its ``node`` and uses
only: ``node.name``; ``node.disk`` (a ``pathlib.Path`` folder that survives a crash; anything
else is lost); ``node.send(dest, body)`` (a JSON-like ``body`` to the node named ``dest``);
``node.reply(msg, body)`` (back to ``msg.src``); ``node.on_message(handler)`` (``handler(msg)``
for each message that arrives: ``msg.src`` is the sender's name, ``msg.body`` the body);
``node.set_timer(delay, fn, *args)`` (call ``fn(*args)`` after ``delay`` seconds of virtual
time). A crash loses the node's objects and timers; when the node restarts, the suite builds
your component again with the same arguments, and it must rebuild itself from ``node.disk``.
Write a file by opening it in append mode and closing it (``with open(path, "a") as f``): once
closed, it is on the disk. Use no threads and no randomness.

The protocol (JSON-like bodies):

* publisher -> broker: ``{"type": "publish", "topic": t, "id": i, "key": k, "payload": p}``
  (``key`` may be ``None``: no ordering); the broker answers the sender
  ``{"type": "published", "id": i}`` once the message is on its disk. A publisher that hears
  nothing sends the same message again, with the same id.
* broker -> a subscription's endpoint: ``{"type": "deliver", "subscription": s, "id": i,
  "key": k, "payload": p, "attempt": n}`` (``attempt`` counts this message's deliveries to
  this subscription, from 1).
* consumer -> broker: ``{"type": "ack", "subscription": s, "id": i}``.

Run ``sysdesign check pubsub``.

Tasks
-----
1. ``Broker``: accept a publish, write it to disk, then answer; a repeated id is stored once.
2. ``Broker``: deliver to every subscription of the topic; redeliver after the visibility timeout
   until acknowledged.
3. ``Broker``: ordering per key: one unacknowledged message per key and subscription.
4. ``Broker``: a restart rebuilds everything from the disk; nothing lost, nothing acked resent.
5. ``Broker``: dead-letter a message after ``max_attempts`` deliveries without an ack.
6. ``IdempotentConsumer``: process, remember the id on disk, then ack; a repeat is acked, not
   processed. Together with the broker: every message processed exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subscription:
    """A subscription (given): every message published to ``topic`` is delivered to the node
    named ``endpoint``, under the subscription's ``name``. Two subscriptions of one topic each
    get every message."""

    name: str
    topic: str
    endpoint: str


@dataclass(frozen=True)
class Delivery:
    """What the consumer's handler gets (given): the fields of a ``deliver`` message."""

    subscription: str
    id: str
    key: str | None
    payload: Any
    attempt: int


class Broker:
    """Tasks 1-5. A durable broker on a node of the cluster.

    The rules, which the suite checks under lost, duplicated and reordered messages and broker
    crashes:

    * **publish** (task 1): a new id is appended to the log on ``node.disk`` and only then
      answered ``published``; an id the broker already has is answered ``published`` again and
      stored no second time.
    * **deliver** (task 2): each message goes to the endpoint of every subscription whose topic
      it was published to. A delivery made at time ``t`` and not acknowledged is delivered again
      (``attempt + 1``) no earlier than ``t + visibility_timeout`` and no later than
      ``t + visibility_timeout + 0.5``: one timer per delivery (``node.set_timer``) does it. An ack
      of a message that is not pending (already acked, dead, unknown) is ignored.
    * **order** (task 3): for each subscription and key, only the *oldest* pending message of
      the key is delivered (and redelivered); the next one waits until it is acked or
      dead-lettered. Messages with key ``None`` are each their own key.
    * **restart** (task 4): built on a node whose disk has a log, the broker rebuilds every
      message, ack and dead letter from it, and delivers at once whatever is pending. Attempt
      counts may start again from 1 after a restart.
    * **dead letters** (task 5): when a delivery with ``attempt == max_attempts`` times out
      without an ack, the message leaves ``pending``, joins ``dead_letters`` (on disk too) and
      the next message of its key is delivered. A message is delivered at most
      ``max_attempts`` times (between two restarts).
    """

    def __init__(self, node: Any, subscriptions: Iterable[Subscription], *, visibility_timeout: float = 5.0,
                 max_attempts: int = 5) -> None:
        """Tasks 1-5. Rebuild from the log under ``node.disk`` (if any), handle the node's
        messages, and deliver what is pending. ``ValueError`` when ``visibility_timeout <= 0``,
        ``max_attempts < 1`` or two subscriptions share a name."""
        raise NotImplementedError("task 1: implement Broker.__init__")

    def on_message(self, msg: Any) -> None:
        """Tasks 1-3. Handle a ``publish`` or an ``ack`` (see the module docstring); ignore
        anything else."""
        raise NotImplementedError("task 1: implement Broker.on_message")

    def pending(self, subscription: str) -> list[str]:
        """Tasks 1-5. The ids of the subscription's messages neither acknowledged nor
        dead-lettered, in publish order (in flight ones included). ``KeyError`` for an unknown
        subscription."""
        raise NotImplementedError("task 1: implement Broker.pending")

    def dead_letters(self, subscription: str) -> list[str]:
        """Task 5. The ids dead-lettered for the subscription, oldest first. ``KeyError`` for an
        unknown subscription."""
        raise NotImplementedError("task 5: implement Broker.dead_letters")


class IdempotentConsumer:
    """Task 6. Processes each message once, whatever the broker and the network repeat.

    For a ``deliver`` whose id it has not processed: call ``handler(Delivery(...))``; if the
    handler raises an ``Exception``, do nothing more (no ack: the broker will redeliver, and in
    the end dead-letter it); otherwise append the id to a file under ``node.disk``, then answer
    the sender ``{"type": "ack", "subscription": s, "id": i}``. For a ``deliver`` whose id it has
    processed before (in this life or an earlier one): do not call the handler, just ack.

    Deduplicate by message id, never by payload: equal payloads are different messages. Keep
    the ids for good (see the module docstring). A consumer serves one subscription.
    """

    def __init__(self, node: Any, handler: Callable[[Delivery], Any]) -> None:
        """Task 6. Load the ids processed before from ``node.disk`` and handle the node's messages."""
        raise NotImplementedError("task 6: implement IdempotentConsumer.__init__")

    def on_message(self, msg: Any) -> None:
        """Task 6. Handle a ``deliver`` (see the class); ignore anything else."""
        raise NotImplementedError("task 6: implement IdempotentConsumer.on_message")

    def has_processed(self, message_id: str) -> bool:
        """Task 6. Whether the handler has completed for ``message_id`` (in any life of the node)."""
        raise NotImplementedError("task 6: implement IdempotentConsumer.has_processed")
