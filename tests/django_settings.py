"""Test settings: the app's one settings file, with a throwaway data folder and a fast hasher.

Set before the settings load, so a developer's ./var is never touched by tests.
"""

import os
import tempfile

os.environ.setdefault("SIJCOACH_DATA_DIR", tempfile.mkdtemp(prefix="sijcoach-test-"))
os.environ["SIJCOACH_FAST_HASHER"] = "true"
os.environ["SIJCOACH_TESTING"] = "true"
os.environ.setdefault("SIJCOACH_TIMER_SCALE", "0.02")

from sijcoach.web.settings import *  # noqa: E402,F403
