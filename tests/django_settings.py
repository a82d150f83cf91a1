"""Test settings: the app's one settings file, with a throwaway data folder and a fast hasher.

Set before the settings load, so a developer's ./var is never touched by tests.
"""

import os
import tempfile

# One folder per pytest-xdist worker: the workers inherit the controller's environment, and a shared
# folder would share the handouts' render slots (file locks), so that one worker's PDF could answer
# another's "many handouts are being made" (429).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and os.environ.get("SIJCOACH_TEST_DATA_WORKER") != _WORKER:
    os.environ["SIJCOACH_DATA_DIR"] = tempfile.mkdtemp(prefix=f"sijcoach-test-{_WORKER}-")
    os.environ["SIJCOACH_TEST_DATA_WORKER"] = _WORKER
os.environ.setdefault("SIJCOACH_DATA_DIR", tempfile.mkdtemp(prefix="sijcoach-test-"))
os.environ["SIJCOACH_FAST_HASHER"] = "true"
os.environ["SIJCOACH_TESTING"] = "true"
os.environ.setdefault("SIJCOACH_TIMER_SCALE", "0.02")

from sijcoach.web.settings import *  # noqa: E402,F403
