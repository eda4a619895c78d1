"""The cluster benchmark's ping-pong written for simpy, to compare event-loop speed.

Two processes bounce messages over a 1 ms link with 8 in flight until 200,000 deliveries,
the same workload as ``sim_messages_per_s`` in ``sysdesign bench``. Needs ``pip install simpy``
(not a dependency of the kit). Prints deliveries per wall second.
"""

import time

import simpy

DELIVERIES, IN_FLIGHT, LATENCY = 200_000, 8, 0.001


def main() -> None:
    env = simpy.Environment()
    inbox = {"a": simpy.Store(env), "b": simpy.Store(env)}
    delivered = [0]

    def send(dest, body):
        def carry():
            yield env.timeout(LATENCY)
            yield inbox[dest].put(body)

        env.process(carry())

    def node(name, other):
        while delivered[0] < DELIVERIES:
            body = yield inbox[name].get()
            delivered[0] += 1
            send(other, body + 1)

    for i in range(IN_FLIGHT):
        send("b", i)
    env.process(node("a", "b"))
    env.process(node("b", "a"))
    start = time.perf_counter()
    while delivered[0] < DELIVERIES:
        env.step()
    print(round(DELIVERIES / (time.perf_counter() - start)))


if __name__ == "__main__":
    main()
