"""The fault suite's stack (one per run) and a client that talks to it like a phone would."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import requests

from faults.stack import PASSWORD, TRAINER_EMAIL, Stack


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "short: the quick subset CI runs (.ci/run); `make faults` runs all")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """PostgreSQL, Redis, gunicorn and the RQ worker of this run; torn down (and deleted) at the end."""
    if os.name != "posix" or not os.path.exists("/proc"):
        pytest.skip("the fault suite needs Linux (/proc)")
    built = Stack()
    try:
        built.start()
        yield built
    finally:
        built.close()


class Api:
    """The trainer's API calls, each with a timeout so a hung server fails the test, not blocks it."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.token = self.login()

    def login(self) -> str:
        response = requests.post(self.stack.base + "/api/v1/auth/login",
                                 json={"email": TRAINER_EMAIL, "password": PASSWORD}, timeout=15)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}", **extra}

    def get(self, path: str, token: str | None = None, timeout: float = 15) -> requests.Response:
        return requests.get(self.stack.base + path, headers=self.headers(token), timeout=timeout)

    def post(self, path: str, body: object = None, token: str | None = None, key: str | None = None,
             timeout: float = 15) -> requests.Response:
        extra = {"Idempotency-Key": key} if key else {}
        return requests.post(self.stack.base + path, json=body, headers=self.headers(token, **extra), timeout=timeout)

    def new_client(self, name: str, timeout: float = 15) -> requests.Response:
        return self.post("/api/v1/clients", {"name": name, "email": f"{name}@example.com"}, timeout=timeout)

    def client_names(self, search: str, token: str | None = None) -> list[str]:
        """The names the (cached) client list shows for `search`: one page, so keep searches small."""
        response = self.get(f"/api/v1/clients?q={search}", token=token)
        assert response.status_code == 200, response.text
        body = response.json()
        rows = body["items"] if isinstance(body, dict) and "items" in body else body
        return sorted(row["name"] for row in rows)


@pytest.fixture(scope="session")
def api(stack: Stack) -> Api:
    return Api(stack)


@pytest.fixture
def tag() -> str:
    """A prefix for the names one test writes, so checks count only its own rows."""
    return f"t{uuid.uuid4().hex[:8]}"
