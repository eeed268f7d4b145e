"""Test-wide settings: the test run is marked so settings pick the immediate task backend."""

import os

os.environ.setdefault("REISGEZEL_TESTING", "1")
