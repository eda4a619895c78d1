"""Task 1: the back-of-the-envelope figures, checked against the suite's own calculation from
the stated requirements (and from other requirements, so that figures typed in from the notes
do not pass), each within 20%."""

import pytest

from sysdesign.capstone import grade_slo, within
from sysdesign.messages import expect_true

SECONDS_PER_DAY, DAYS_PER_YEAR = 24 * 3600, 365
TOLERANCE = 0.2

STATED = {
    "users": 1_000_000_000, "uploading_share": 0.1, "uploads_per_uploader_per_day": 1,
    "average_file_bytes": 1_000_000, "downloads_per_upload": 3, "replicas": 3, "metadata_bytes_per_file": 1_000,
    "largest_file_bytes": 1_000_000_000, "client_bytes_per_second": 100_000_000, "block_bytes": 4_000_000,
}
OTHER = {
    "users": 50_000_000, "uploading_share": 0.3, "uploads_per_uploader_per_day": 4,
    "average_file_bytes": 250_000, "downloads_per_upload": 5, "replicas": 2, "metadata_bytes_per_file": 600,
    "largest_file_bytes": 20_000_000_000, "client_bytes_per_second": 12_500_000, "block_bytes": 8_000_000,
}
SMALLEST = {
    "users": 1, "uploading_share": 1.0, "uploads_per_uploader_per_day": 1, "average_file_bytes": 1,
    "downloads_per_upload": 1, "replicas": 1, "metadata_bytes_per_file": 1, "largest_file_bytes": 1,
    "client_bytes_per_second": 1, "block_bytes": 1,
}


def expected(r):
    """The suite's own calculation (the oracle)."""
    per_day = r["users"] * r["uploading_share"] * r["uploads_per_uploader_per_day"]
    per_second = per_day / SECONDS_PER_DAY
    logical = per_day * DAYS_PER_YEAR * r["average_file_bytes"]
    return {
        "uploads_per_second": per_second,
        "upload_bytes_per_second": per_second * r["average_file_bytes"],
        "download_bytes_per_second": per_second * r["downloads_per_upload"] * r["average_file_bytes"],
        "files_per_user_per_year": r["uploading_share"] * r["uploads_per_uploader_per_day"] * DAYS_PER_YEAR,
        "logical_bytes_per_year": logical,
        "raw_bytes_per_year": logical * r["replicas"],
        "metadata_bytes_per_year": per_day * DAYS_PER_YEAR * r["metadata_bytes_per_file"],
        "seconds_to_send_largest_file": r["largest_file_bytes"] / r["client_bytes_per_second"],
        "blocks_per_largest_file": r["largest_file_bytes"] / r["block_bytes"],
    }


def grade(request, capstone, requirements, label):
    got = capstone.estimate(dict(requirements))
    expect_true(isinstance(got, dict), f"estimate({label})", got=type(got).__name__, expected="a dict of figures")
    want = expected(requirements)
    wrong = {k: (got.get(k), v) for k, v in want.items() if not within(got.get(k), v, TOLERANCE)}
    measured = f"{len(want) - len(wrong)} of {len(want)} within 20%"
    details = "\n".join(f"  {k}: got {g!r}, expected about {w:.4g}" for k, (g, w) in sorted(wrong.items()))
    grade_slo(request, f"estimates for the {label} requirements", "every figure within 20%", measured, not wrong,
              "sizing starts from these figures: uploads a second drive the front ends and the write bandwidth, "
              "a year of bytes times the copies kept drives the disks, and the time a large file takes to send "
              "is why uploads go in blocks that can be resent one by one", details)


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_for_the_stated_requirements(request, capstone):
    grade(request, capstone, STATED, "stated")


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_follow_other_requirements(request, capstone):
    grade(request, capstone, OTHER, "other (50M users, 4 uploads a day, 2 copies)")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_estimates_for_the_smallest_requirements(request, capstone):
    """One user uploading one one-byte file a day, one copy, one-byte blocks: the formulas hold
    at the edge (no rounding down to zero, no integer division)."""
    grade(request, capstone, SMALLEST, "smallest (1 user, 1 byte)")
