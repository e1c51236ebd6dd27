"""What an app developer writes with the SDK generated from Fitbud's OpenAPI document.

.ci/contract/run.sh type-checks this with mypy against the freshly generated `fitbud_api_client`
(a renamed operation, a dropped model or a loosened type fails the check), then runs it against
the contract server: a trainer logs in and lists their clients, their client logs in and
submits a check-in.

Usage: python sdk_usage.py BASE_URL TRAINER_EMAIL CLIENT_EMAIL PASSWORD
"""

from __future__ import annotations

import datetime
import sys
import uuid

from fitbud_api_client import AuthenticatedClient, Client
from fitbud_api_client.api.auth import login
from fitbud_api_client.api.clients import list_clients
from fitbud_api_client.api.logs import create_check_in
from fitbud_api_client.models import CheckIn, CheckInCreate, ClientListItem, Error, Login, TokenPair


def sign_in(base_url: str, email: str, password: str) -> AuthenticatedClient:
    """Log in and return a client that sends the access token."""
    answer = login.sync(client=Client(base_url=base_url), body=Login(email=email, password=password))
    if not isinstance(answer, TokenPair):
        raise SystemExit(f"login as {email} failed: {answer}")
    return AuthenticatedClient(base_url=base_url, token=answer.access_token)


def trainers_clients(trainer: AuthenticatedClient) -> list[ClientListItem]:
    """The first page of the trainer's clients."""
    answer = list_clients.sync(client=trainer, page_size=20)
    if answer is None or isinstance(answer, Error):
        raise SystemExit(f"listing clients failed: {answer}")
    return answer


def submit_check_in(client: AuthenticatedClient, weight_kg: float) -> CheckIn:
    """Today's check-in, safe to retry: the Idempotency-Key makes a retry return the first answer."""
    body = CheckInCreate(submitted_on=datetime.date.today(), weight=weight_kg, energy=4)
    answer = create_check_in.sync(client=client, body=body, idempotency_key=str(uuid.uuid4()))
    if not isinstance(answer, CheckIn):
        raise SystemExit(f"check-in failed: {answer}")
    return answer


def main(base_url: str, trainer_email: str, client_email: str, password: str) -> None:
    """Run the three calls; exit non-zero when any of them does not answer as documented."""
    clients = trainers_clients(sign_in(base_url, trainer_email, password))
    if not any(item.email == client_email for item in clients):
        raise SystemExit(f"{client_email} is not among the trainer's clients")
    check_in = submit_check_in(sign_in(base_url, client_email, password), 72.5)
    print(f"SDK: {len(clients)} client(s) listed; check-in {check_in.id} on {check_in.submitted_on}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
