"""`python -m faults.slow_worker`: `python -m workers`, with reports that take a few seconds.

A report over the suite's tiny data set finishes in milliseconds, too fast to kill its worker in
the middle. Here each report first reports progress in steps for SLOW_REPORT_SECONDS, then builds
the real document; forked work horses inherit the change. Only the fault suite runs this.

The console mail backend also notes each mail it sends in FAULTS_MAIL_FILE (one "to<TAB>subject"
line), so a test can count what was delivered: the stack logs at WARNING, below the mail's lines.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from fitbud.mail import ConsoleMailBackend, Mail
from fitbud.reports import documents
from workers.__main__ import main

SLOW_REPORT_SECONDS = float(os.environ.get("SLOW_REPORT_SECONDS", "4"))
STEPS = 8
MAIL_FILE = os.environ.get("FAULTS_MAIL_FILE")


def _slowed(build: Callable[..., Any]) -> Callable[..., Any]:
    def slow(owner_id: int, params: dict[str, Any], progress: Callable[[int], None]) -> Any:
        for step in range(1, STEPS + 1):
            time.sleep(SLOW_REPORT_SECONDS / STEPS)
            progress(step * 8)
        return build(owner_id, params, progress)

    return slow


def _noted(send: Callable[[ConsoleMailBackend, Mail], None]) -> Callable[[ConsoleMailBackend, Mail], None]:
    def send_and_note(backend: ConsoleMailBackend, mail: Mail) -> None:
        send(backend, mail)
        # One short line per open-append-close: work horses writing at once never interleave.
        with open(MAIL_FILE, "a", encoding="utf-8") as sent:  # type: ignore[arg-type]
            sent.write(f"{mail.to}\t{mail.subject}\n")

    return send_and_note


if __name__ == "__main__":
    for name, build in list(documents.BUILDERS.items()):
        documents.BUILDERS[name] = _slowed(build)
    if MAIL_FILE:
        ConsoleMailBackend.send = _noted(ConsoleMailBackend.send)  # type: ignore[method-assign]
    sys.exit(main())
