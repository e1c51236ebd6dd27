"""`python -m faults.slow_worker`: `python -m workers`, with reports that take a few seconds.

A report over the suite's tiny data set finishes in milliseconds, too fast to kill its worker in
the middle. Here each report first reports progress in steps for SLOW_REPORT_SECONDS, then builds
the real document; forked work horses inherit the change. Only the fault suite runs this.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from fitbud.reports import documents
from workers.__main__ import main

SLOW_REPORT_SECONDS = float(os.environ.get("SLOW_REPORT_SECONDS", "4"))
STEPS = 8


def _slowed(build: Callable[..., Any]) -> Callable[..., Any]:
    def slow(owner_id: int, params: dict[str, Any], progress: Callable[[int], None]) -> Any:
        for step in range(1, STEPS + 1):
            time.sleep(SLOW_REPORT_SECONDS / STEPS)
            progress(step * 8)
        return build(owner_id, params, progress)

    return slow


if __name__ == "__main__":
    for name, build in list(documents.BUILDERS.items()):
        documents.BUILDERS[name] = _slowed(build)
    sys.exit(main())
