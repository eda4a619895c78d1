"""Known-wrong: a charge that fails or times out is sent again without an idempotency key: the
provider cannot tell the retry from a new charge, and while it answers late (t 60-70) every
completed ride is charged two or three times."""
import requests

from solutions import capstone_uber as _reference
from solutions.capstone_uber import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_completed_rides_are_charged_exactly_once"]


class NoKey(_reference.Dispatch):
    def charge(self, record):
        for _ in range(2):
            try:
                answer = requests.post(f"http://{self.spec.payments}/charges",
                                       json={"ride": record["ride"], "rider": record["rider"],
                                             "amount": record["fare"]}, timeout=self.CHARGE_TIMEOUT)
                if answer.status_code in (200, 201):
                    return
            except requests.RequestException:
                pass
        raise _reference.ChargeFailed(record["ride"])


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, dispatch=NoKey)
