"""Capstone 3: the Uber API, a ride-hailing backend, wired from your own components.

The design question: riders ask for a ride from where they stand; drivers' phones report their
location every few seconds while they are online; the system matches a request to a nearby
free driver, and the ride goes through its states (accepted, in progress, completed, or
cancelled) until the fare is charged. Three things make it hard:

* **Locations are a flood of worthless-soon writes.** A million drivers every 4 s is 250,000
  updates a second, each useless 12 s later. They live in memory, in an index built for "who is
  near this point" (a quadtree), and a driver who stops reporting must vanish by himself.
* **A driver is one car.** Two riders near the same driver, asking at the same instant on two
  matcher nodes, both see him free. Only an atomic claim (a transaction that creates the
  driver's claim only if there is none) keeps him from being sent to both.
* **Retries are everywhere.** A phone that got no answer asks again; a matcher that claimed a
  driver may crash before answering; a charge that timed out may have gone through. Every
  retry must find what its first attempt did: the ride id names the ride, an idempotency key
  names the charge.

There is no new algorithm here. This module is the **wiring**: which nodes exist, which of
your components runs on each, how they talk, and which policies apply. The components are the
ones you built in the concept exercises, handed to you as ``parts``:
``parts.specialized_storage.QuadTree`` (``insert``, ``nearest``, ``query``; it has no remove:
rebuild it) and ``parts.kv_store.KVStore`` (``put(key, value, ttl=...)``, ``get``, ``keys``,
expiry on the node's clock). They are your own modules (``exercises/specialized_storage.py``,
``exercises/kv_store.py``), so a capstone grades your quadtree and your store inside a system;
under ``--solutions`` they are the references.

What the suite fixes (the rest is yours):

* Riders send every request to ``http://api/...``, and drivers' phones send their locations to
  the node ``api`` as messages: add a node named ``api``.
* Locations: a message ``{"type": "location", "driver": "d17", "x": 4.2, "y": 5.9}`` every
  ``spec.location_interval`` (4) seconds per driver online; coordinates in km inside
  ``spec.city`` (``(0, 0, 10, 10)``). A driver may stop reporting at any moment without a word.
* ``spec.etcd``: an etcd-like store (durable, never crashed by the suite):
  ``spec.etcd.client(node.name, timeout=0.5)`` gives ``get``, ``put``, ``delete``, leases,
  watches and ``txn(compare=[...], success=[...], failure=[...])``; build comparisons and
  operations with ``from sysdesign.cluster.services import version, mod_revision, value,
  put_op, get_op, delete_op`` (``version(key) == 0``: "the key does not exist"). See
  docs/cluster.md, "Fake services".
* The payment provider is the node ``spec.payments`` (``"payments"``): ``POST /charges`` with
  JSON ``{"ride", "rider", "amount"}`` (amount in cents) answers 201 with the charge; a
  request carrying an ``Idempotency-Key`` header it has seen before answers 200 with the first
  charge and charges nothing. It can be slow.
* ``spec.radius`` (3 km): how far a matched driver may be; ``spec.location_expiry`` (12 s):
  how long a position may be used after it reached your node.
* Node budget: the wiring may add at most ``spec.budget`` (4) nodes.
* Roles: ``spec.assign("dispatch", [names])`` names the nodes that match riders to drivers
  (the suite crashes the first, mid-match, and cuts the second off).
* Faults are the suite's alone: the wiring never crashes, restarts, pauses, slows, partitions
  or heals anything (a wiring that does is not well formed, task 2).

The public API (what ``api`` must answer):

| call | answer |
|---|---|
| ``POST /rides`` (JSON ``{"ride", "rider", "x", "y"}``) | 200 ``{"ride", "driver"}`` (below) |
| ``GET /rides/<ride>`` | 200, at least ``{"ride", "rider", "driver", "state"}``; 404 if unknown |
| ``POST /rides/<ride>/start`` | the rider is picked up: ``accepted`` -> ``in_progress`` |
| ``POST /rides/<ride>/cancel`` | ``accepted`` -> ``cancelled``; never charged |
| ``POST /rides/<ride>/complete`` (JSON ``{"fare"}``) | ``in_progress`` -> ``completed`` |

A ride request (``ride`` is the rider's request id) is answered with the nearest free driver
reporting within the radius, now assigned to this ride (its state ``accepted``), or ``"driver":
null`` when there is none; the same ride id always gets the same driver. A cancel or a
completion frees the driver; a completion charges the fare (in cents) exactly once.

A transition answers 200 with the ride once it is durable, 200 again when repeated (a retry
of a transition already made does nothing more), 409 when the ride's state forbids it, 404
for an unknown ride, and 5xx when it could not be made (the phone retries).

How the suite grades it (one seeded run of 85 s of virtual time, measured from t = 10 s): 200
drivers around the centre of the city moving 40 m between reports; ride requests at 2/s around
the centre (10% sent twice: a double tap), retried with the same ride id after a failure or 2 s
without an answer (and cancelled when the rider gives up after 8 s); matched rides cancelled
(15%) or started and completed 8-14 s later; at t = 30 the 40 drivers nearest the centre go
dark; the second "dispatch" node is cut off from 40 to 46; the first crashes at 50 right after
an etcd write it makes while serving a ride request (back at 58, memory empty); the payment
provider answers 2.5 s late from 60 to 70; at 75, 15 pairs of riders each standing on a free
driver ask at the same instant. Then a settle; every ride is read back, and a rider standing on
each driver still reporting asks for one (that driver must be free again). Each service-level
objective (SLO) is one graded test, and a failure shows its SLO table row: objective, target,
measured, pass/fail, points.

Tasks:

1. ``estimate``: back-of-the-envelope figures (location updates a second, their bandwidth,
   ride requests at the peak, a year of trips, the size of the index) from the requirements.
2. ``wire``: the ``api`` entry and the "dispatch" nodes; ride requests answered, fast, through
   a crash and a partition.
3. The location index: positions in memory with an expiry, a quadtree for the nearest free
   drivers, no durable write per update.
4. Exclusive assignment: a driver holds one ride at a time (checked at every step, under the
   race, the crash and the partition), a ride id gets one driver however often it is sent, and
   no claim outlives its ride (a crash mid-match included).
5. Ride states and payment: transitions validated and durable, the fare charged exactly once.
"""

from __future__ import annotations

from typing import Any

#: The requirements of the design question, as ``estimate`` receives them.
REQUIREMENTS = {
    "drivers_online": 1_000_000,        # at peak
    "location_interval_seconds": 4.0,   # each online driver reports this often
    "location_bytes": 100,              # one location update on the wire
    "trips_per_day": 10_000_000,
    "peak_to_average": 3.0,             # ride requests at the peak, as a multiple of the average
    "trip_record_bytes": 2_000,         # stored per trip
    "index_bytes_per_driver": 64,       # one driver in the location index
}


def estimate(requirements: dict) -> dict:
    """Task 1: the back-of-the-envelope figures for ``requirements`` (shaped like
    :data:`REQUIREMENTS`), as a dict of floats:

    * ``"location_updates_per_second"``: location updates received per second at peak;
    * ``"location_ingress_bytes_per_second"``: their bytes per second;
    * ``"peak_ride_requests_per_second"``: ride requests per second at the peak;
    * ``"trip_storage_bytes_per_year"``: trip records stored per year;
    * ``"index_bytes"``: the memory of a location index holding every driver online.

    The suite checks each figure within 20% of its own calculation, for the stated requirements
    and for other ones."""
    raise NotImplementedError("task 1: implement estimate")


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    """Tasks 2-5: build the system in ``cluster`` (add nodes with ``cluster.add_node``, routes
    with ``node.route``, message handlers with ``node.on_message``, timers, start hooks: see
    docs/cluster.md), out of ``parts`` (your components: ``parts.specialized_storage``,
    ``parts.kv_store``), and tell the suite which nodes play which role with
    ``spec.assign("dispatch", [...])``. ``spec.etcd`` is the etcd service, ``spec.payments`` the
    payment provider's node name, ``spec.city``, ``spec.radius``, ``spec.location_expiry`` and
    ``spec.location_interval`` the figures above, ``spec.budget`` the node budget.

    The suite calls it once, at t = 0, before any traffic; everything after that happens in
    the nodes' handlers, timers and tasks."""
    raise NotImplementedError("task 2: implement wire")
