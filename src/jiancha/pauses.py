"""Named points where a test can make a command wait, so it can kill the process exactly there.

Each point is an environment variable; when it is set to a number of seconds, the process
announces the point's name on stderr and sleeps that long. Crash tests use them to land a
SIGKILL inside a write transaction, or between its commit and the work that follows it.
"""

from __future__ import annotations

import os
import sys
import time

#: Inside the ingest's lake transaction, after every file's statements, before COMMIT.
IN_LOAD = "JIANCHA_TEST_PAUSE_IN_LOAD"
#: After the ingest's lake transaction committed, before the checkpoint.
AFTER_LOAD = "JIANCHA_TEST_PAUSE_AFTER_LOAD"
#: Inside the run's store transaction (clues, run record, audit entries), before COMMIT.
IN_RUN = "JIANCHA_TEST_PAUSE_IN_RUN"
#: After the run's store transaction committed, before its head is anchored.
AFTER_RUN = "JIANCHA_TEST_PAUSE_AFTER_RUN"


def pause(point: str) -> None:
    """Wait at ``point`` if a test asked for it (no effect otherwise)."""
    if seconds := os.environ.get(point):
        print(point, file=sys.stderr, flush=True)
        time.sleep(float(seconds))


#: After the ingest's lake transaction committed, before the manifest is rewritten.
BEFORE_MANIFEST = "JIANCHA_TEST_PAUSE_BEFORE_MANIFEST"
