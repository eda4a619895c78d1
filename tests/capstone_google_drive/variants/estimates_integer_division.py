"""Known-wrong: uploads a day turned into uploads a second with integer division, which is close
enough at a hundred million uploads a day and rounds one user's one upload a day down to zero."""
from solutions import capstone_google_drive as _reference
from solutions.capstone_google_drive import *  # noqa: F401,F403

EXPECT_FAIL = ["test_estimates.py::test_estimates_for_the_smallest_requirements"]


def estimate(requirements):
    r = dict(requirements)
    figures = _reference.estimate(r)
    per_second = int(r["users"] * r["uploading_share"] * r["uploads_per_uploader_per_day"]) // _reference.SECONDS_PER_DAY
    figures.update(uploads_per_second=per_second,
                   upload_bytes_per_second=per_second * r["average_file_bytes"],
                   download_bytes_per_second=per_second * r["downloads_per_upload"] * r["average_file_bytes"])
    return figures
