"""rq's workers with a command listener that lets go within a second when the worker stops."""

from __future__ import annotations

from rq import SimpleWorker, Worker

# How long the listener thread waits on Redis before checking whether it should stop.
LISTENER_WAKE_SECONDS = 1


class QuickListenerMixin:
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
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=LISTENER_WAKE_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class FitbudWorker(QuickListenerMixin, Worker):
    """The forking worker `python -m workers` runs."""


class FitbudSimpleWorker(QuickListenerMixin, SimpleWorker):
    """Runs jobs in its own process (tests, debugging)."""
