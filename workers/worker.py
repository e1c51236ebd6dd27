"""rq's workers, building the app their jobs run in, with a command listener that lets go within a second."""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from rq import SimpleWorker, Worker
from rq.worker import BaseWorker

from fitbud import create_app
from workers.context import use_app, worker_app
from workers.periodic import PeriodicMixin

# How long the listener thread waits on Redis before checking whether it should stop.
LISTENER_WAKE_SECONDS = 1


class QuickListenerMixin(BaseWorker):
    """Listens for rq's commands (shutdown, stop or kill a job) with a short read timeout.

    rq's listener waits up to 60 s per read and relies on Redis's reply to the UNSUBSCRIBE to wake
    it at teardown. When a worker stops before its subscription is confirmed, as a burst run over
    a short queue can, nothing wakes the thread, and the teardown waits the full 60 s for it
    (rq/rq#1613). A one-second read timeout bounds that wait; the cost is one idle wake a second.
    """

    def subscribe(self) -> None:
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # rq declares it None
            sleep_time=LISTENER_WAKE_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class AppMixin(BaseWorker):
    """Builds the app the jobs run in once, before the first job, unless the entry point gave one.

    `python -m workers` builds it itself; under `rq worker --worker-class ...` this does, in the
    parent process, so forked work horses inherit it. A worker started inside an app context
    (tests) runs its jobs in that one.
    """

    def work(self, *args: Any, **kwargs: Any) -> bool:
        if worker_app() is None and not has_app_context():
            use_app(create_app())
        return super().work(*args, **kwargs)


class FitbudWorker(AppMixin, PeriodicMixin, QuickListenerMixin, Worker):
    """The forking worker `python -m workers` runs."""


class FitbudSimpleWorker(AppMixin, PeriodicMixin, QuickListenerMixin, SimpleWorker):
    """Runs jobs in its own process (tests, debugging)."""
