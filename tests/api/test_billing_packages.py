"""Trainers' coaching packages: CRUD mirrored in Stripe through the real stripe library."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import BillingPackage, utcnow
from tests.factories import BillingPackageFactory, PaymentFactory, SubscriptionFactory
from tests.helpers import assert_envelope, assert_error
from tests.stripe_fake import SECRET_KEY, install_fake_stripe

URL = "/api/v1/billing/packages"
VALID = {"name": "Monthly coaching", "price": 4900, "currency": "eur", "interval": "monthly"}


@pytest.fixture
def stripe_api(app):
    """Billing configured; Stripe answered by the fake HTTP client."""
    return install_fake_stripe(app)


def _package_count() -> int:
    return db.session.execute(select(func.count()).select_from(BillingPackage)).scalar_one()


# Create --------------------------------------------------------------------------------------


def test_create_package_mirrors_it_as_stripe_product_and_price(http, trainer_headers, stripe_api):
    response = http.post(URL, json={**VALID, "sessions_per_period": 4}, headers=trainer_headers)

    assert response.status_code == 201, response.json
    body = response.json
    package_id = body["id"]
    (product_call,) = stripe_api.calls("/v1/products")
    assert product_call.idempotency_key == f"package-{package_id}-product"
    assert product_call.params["name"] == "Monthly coaching"
    assert product_call.metadata()["fitbud_package_id"] == str(package_id)
    assert product_call.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    (price_call,) = stripe_api.calls("/v1/prices")
    assert price_call.idempotency_key == f"package-{package_id}-price-v1-4900-eur-monthly"
    assert price_call.params["product"] == body["stripe_product_id"]
    assert price_call.params["unit_amount"] == "4900"
    assert price_call.params["currency"] == "eur"
    assert price_call.params["recurring[interval]"] == "month"
    assert body["stripe_price_id"] == stripe_api.created("price_")[0]["id"]
    assert body["sessions_per_period"] == 4
    assert body["price_version"] == 1


@pytest.mark.parametrize(
    ("interval", "stripe_interval"), [("weekly", "week"), ("monthly", "month"), ("one_off", None)]
)
def test_create_package_maps_interval_to_stripe_price(
    http, trainer_headers, stripe_api, interval, stripe_interval
):
    response = http.post(URL, json={**VALID, "interval": interval}, headers=trainer_headers)

    assert response.status_code == 201
    (price_call,) = stripe_api.calls("/v1/prices")
    assert price_call.params.get("recurring[interval]") == stripe_interval


def test_create_package_lowercases_currency(http, trainer_headers, stripe_api):
    response = http.post(URL, json={**VALID, "currency": "GBP"}, headers=trainer_headers)

    assert response.status_code == 201
    assert response.json["currency"] == "gbp"


def test_create_package_defaults_sessions_to_zero(http, trainer_headers, stripe_api):
    response = http.post(URL, json=VALID, headers=trainer_headers)

    assert response.json["sessions_per_period"] == 0


@pytest.mark.parametrize("field", ["name", "price", "currency", "interval"])
def test_create_package_without_required_field_is_422(http, trainer_headers, stripe_api, field):
    data = {key: value for key, value in VALID.items() if key != field}

    response = http.post(URL, json=data, headers=trainer_headers)

    assert_error(response, 422, field)
    assert stripe_api.requests == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "49.00"),
        ("price", 49.5),
        ("name", 12),
        ("sessions_per_period", "four"),
        ("interval", 1),
    ],
)
def test_create_package_with_wrong_type_is_422(http, trainer_headers, stripe_api, field, value):
    response = http.post(URL, json={**VALID, field: value}, headers=trainer_headers)

    assert_error(response, 422, field)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", 0),
        ("price", -100),
        ("price", 100_000_000),
        ("sessions_per_period", -1),
        ("sessions_per_period", 101),
        ("currency", "euro"),
        ("currency", "e1"),
        ("interval", "yearly"),
        ("name", "   "),
        ("name", "x" * 121),
    ],
)
def test_create_package_with_out_of_range_value_is_422(
    http, trainer_headers, stripe_api, field, value
):
    response = http.post(URL, json={**VALID, field: value}, headers=trainer_headers)

    assert_error(response, 422, field)


def test_create_package_with_unknown_field_is_422(http, trainer_headers, stripe_api):
    response = http.post(URL, json={**VALID, "discount": 10}, headers=trainer_headers)

    assert_error(response, 422, "discount")


def test_create_package_with_a_name_in_use_is_409(http, trainer, trainer_headers, stripe_api):
    BillingPackageFactory(trainer=trainer, name="Monthly coaching")

    response = http.post(URL, json=VALID, headers=trainer_headers)

    assert_error(response, 409, "name")
    assert stripe_api.requests == []


def test_create_package_may_reuse_the_name_of_an_archived_one(
    http, trainer, trainer_headers, stripe_api
):
    BillingPackageFactory(trainer=trainer, name="Monthly coaching", archived_at=utcnow())

    response = http.post(URL, json=VALID, headers=trainer_headers)

    assert response.status_code == 201


def test_create_package_without_token_is_401(http, stripe_api):
    response = http.post(URL, json=VALID)

    assert_error(response, 401, message="Authentication required")
    assert_envelope(response)


@pytest.mark.parametrize("headers_fixture", ["client_headers", "admin_headers"])
def test_create_package_by_non_trainer_is_403(http, request, stripe_api, headers_fixture):
    response = http.post(URL, json=VALID, headers=request.getfixturevalue(headers_fixture))

    assert_error(response, 403, "role")
    assert stripe_api.requests == []


def test_create_package_rejected_by_stripe_is_422_and_leaves_no_package(
    http, trainer_headers, stripe_api
):
    stripe_api.fail("/v1/prices", param="currency", message="Invalid currency: xyz.")

    response = http.post(URL, json={**VALID, "currency": "xyz"}, headers=trainer_headers)

    assert_error(response, 422, "currency")
    assert response.json["errors"] == {"currency": ["Invalid currency: xyz."]}
    assert _package_count() == 0


def test_create_package_when_stripe_is_down_is_503_after_retries_with_one_key(
    http, trainer_headers, stripe_api
):
    stripe_api.fail("/v1/products", status=500, error_type="api_error", times=3)

    response = http.post(URL, json=VALID, headers=trainer_headers)

    assert_error(response, 503, message="The payment provider is not answering")
    calls = stripe_api.calls("/v1/products")
    assert len(calls) == 3  # the first try and two network retries
    assert len({call.idempotency_key for call in calls}) == 1
    assert _package_count() == 0


def test_create_package_retry_after_lost_response_creates_one_product(
    http, trainer_headers, stripe_api
):
    stripe_api.fail("/v1/products", lose_response=True)

    response = http.post(URL, json=VALID, headers=trainer_headers)

    assert response.status_code == 201
    first, retry = stripe_api.calls("/v1/products")
    assert first.idempotency_key == retry.idempotency_key
    assert len(stripe_api.created("prod_")) == 1
    assert response.json["stripe_product_id"] == stripe_api.created("prod_")[0]["id"]


def test_package_ids_are_never_reused_after_a_failed_create(http, trainer_headers, stripe_api):
    stripe_api.fail("/v1/prices", param="currency", message="Invalid currency.")
    http.post(URL, json=VALID, headers=trainer_headers)

    response = http.post(URL, json=VALID, headers=trainer_headers)

    keys = [call.idempotency_key for call in stripe_api.calls("/v1/products")]
    assert response.status_code == 201
    assert len(set(keys)) == 2  # a new id, so a new key: Stripe never replays the old product


# Read --------------------------------------------------------------------------------------


def test_list_packages_shows_only_own_live_packages(
    http, trainer, other_trainer, trainer_headers, stripe_api
):
    mine = BillingPackageFactory(trainer=trainer)
    BillingPackageFactory(trainer=trainer, archived_at=utcnow())
    BillingPackageFactory(trainer=other_trainer)

    response = http.get(URL, headers=trainer_headers)

    assert response.status_code == 200
    assert [p["id"] for p in response.json] == [mine.id]
    assert '"total": 1' in response.headers["X-Pagination"]


def test_list_packages_includes_archived_when_asked(http, trainer, trainer_headers, stripe_api):
    BillingPackageFactory(trainer=trainer)
    BillingPackageFactory(trainer=trainer, archived_at=utcnow())

    response = http.get(f"{URL}?include_archived=true", headers=trainer_headers)

    assert len(response.json) == 2


def test_list_packages_with_bad_flag_is_422(http, trainer_headers, stripe_api):
    response = http.get(f"{URL}?include_archived=maybe", headers=trainer_headers)

    assert_error(response, 422, "include_archived")


def test_list_packages_by_client_is_403(http, client_headers, stripe_api):
    assert_error(http.get(URL, headers=client_headers), 403, "role")


def test_list_packages_without_token_is_401(http, stripe_api):
    assert_error(http.get(URL), 401, message="Authentication required")


def test_get_own_package(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    response = http.get(f"{URL}/{package.id}", headers=trainer_headers)

    assert response.status_code == 200
    assert response.json["name"] == package.name


def test_get_other_trainers_package_is_404(http, other_trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=other_trainer)

    response = http.get(f"{URL}/{package.id}", headers=trainer_headers)

    assert_error(response, 404, message="Package not found")


def test_get_missing_package_is_404(http, trainer_headers, stripe_api):
    assert_error(http.get(f"{URL}/999999", headers=trainer_headers), 404, message="Package not found")


# Update --------------------------------------------------------------------------------------


def test_rename_package_renames_stripe_product_without_new_price(
    http, trainer, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)

    response = http.patch(f"{URL}/{package.id}", json={"name": "Elite"}, headers=trainer_headers)

    assert response.status_code == 200
    assert response.json["name"] == "Elite"
    (call,) = stripe_api.calls(f"/v1/products/{package.stripe_product_id}")
    assert call.params == {"name": "Elite"}
    assert stripe_api.calls("/v1/prices") == []


def test_new_price_creates_a_new_stripe_price_and_retires_the_old(
    http, trainer, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer, price=4900)
    old_price_id = package.stripe_price_id

    response = http.patch(f"{URL}/{package.id}", json={"price": 5900}, headers=trainer_headers)

    assert response.status_code == 200
    body = response.json
    assert body["price"] == 5900 and body["price_version"] == 2
    (create,) = stripe_api.calls("/v1/prices")
    assert create.idempotency_key == f"package-{package.id}-price-v2-5900-eur-monthly"
    assert create.params["product"] == package.stripe_product_id
    assert body["stripe_price_id"] != old_price_id
    (retire,) = stripe_api.calls(f"/v1/prices/{old_price_id}")
    assert retire.params == {"active": "false"}


def test_new_interval_creates_a_new_stripe_price(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    response = http.patch(
        f"{URL}/{package.id}", json={"interval": "weekly"}, headers=trainer_headers
    )

    assert response.status_code == 200
    (create,) = stripe_api.calls("/v1/prices")
    assert create.params["recurring[interval]"] == "week"


def test_subscribers_keep_their_package_when_its_price_changes(
    http, trainer, client_record, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)
    subscription = SubscriptionFactory(client=client_record, package=package)

    http.patch(f"{URL}/{package.id}", json={"price": 5900}, headers=trainer_headers)

    db.session.refresh(subscription)
    assert subscription.package_id == package.id


def test_same_price_again_makes_no_new_stripe_price(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer, price=4900)

    response = http.patch(
        f"{URL}/{package.id}",
        json={"price": 4900, "sessions_per_period": 8},
        headers=trainer_headers,
    )

    assert response.status_code == 200
    assert response.json["sessions_per_period"] == 8
    assert stripe_api.requests == []


def test_update_with_empty_body_is_422(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    assert_error(http.patch(f"{URL}/{package.id}", json={}, headers=trainer_headers), 422, "_schema")


@pytest.mark.parametrize("data", [{"price": 0}, {"price": "5900"}, {"currency": "euros"}, {"color": "red"}])
def test_update_with_bad_field_is_422(http, trainer, trainer_headers, stripe_api, data):
    package = BillingPackageFactory(trainer=trainer)
    (field,) = data

    response = http.patch(f"{URL}/{package.id}", json=data, headers=trainer_headers)

    assert_error(response, 422, field)
    assert stripe_api.requests == []


def test_update_to_a_name_in_use_is_409(http, trainer, trainer_headers, stripe_api):
    BillingPackageFactory(trainer=trainer, name="Taken")
    package = BillingPackageFactory(trainer=trainer)

    response = http.patch(f"{URL}/{package.id}", json={"name": "Taken"}, headers=trainer_headers)

    assert_error(response, 409, "name")


def test_update_archived_package_is_409(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer, archived_at=utcnow())

    response = http.patch(f"{URL}/{package.id}", json={"price": 100}, headers=trainer_headers)

    assert_error(response, 409, message="An archived package cannot be changed")


def test_update_other_trainers_package_is_404(http, other_trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=other_trainer)

    response = http.patch(f"{URL}/{package.id}", json={"price": 100}, headers=trainer_headers)

    assert_error(response, 404, message="Package not found")
    assert stripe_api.requests == []


def test_update_rejected_by_stripe_changes_nothing(http, trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer, price=4900)
    stripe_api.fail("/v1/prices", param="unit_amount", message="Amount too small.")

    response = http.patch(f"{URL}/{package.id}", json={"price": 1}, headers=trainer_headers)

    assert_error(response, 422, "unit_amount")
    db.session.refresh(package)
    assert (package.price, package.price_version) == (4900, 1)


def test_update_by_client_is_403(http, trainer, client_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    response = http.patch(f"{URL}/{package.id}", json={"price": 100}, headers=client_headers)

    assert_error(response, 403, "role")


def test_update_without_token_is_401(http, trainer, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    assert_error(http.patch(f"{URL}/{package.id}", json={"price": 100}), 401, message="Authentication required")


# Delete --------------------------------------------------------------------------------------


def test_delete_unused_package_removes_it_and_deactivates_product(
    http, trainer, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)
    product_id, package_id = package.stripe_product_id, package.id

    response = http.delete(f"{URL}/{package_id}", headers=trainer_headers)

    assert response.status_code == 204
    db.session.expunge_all()
    assert db.session.get(BillingPackage, package_id) is None
    (call,) = stripe_api.calls(f"/v1/products/{product_id}")
    assert call.params == {"active": "false"}


def test_delete_package_with_payments_archives_it(
    http, trainer, client_record, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)
    PaymentFactory(client=client_record, package=package)

    response = http.delete(f"{URL}/{package.id}", headers=trainer_headers)

    assert response.status_code == 204
    shown = http.get(f"{URL}/{package.id}", headers=trainer_headers).json
    assert shown["archived_at"] is not None
    assert http.get(URL, headers=trainer_headers).json == []


def test_delete_package_with_subscriptions_archives_it(
    http, trainer, client_record, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)
    SubscriptionFactory(client=client_record, package=package)

    http.delete(f"{URL}/{package.id}", headers=trainer_headers)

    db.session.refresh(package)
    assert package.archived_at is not None


def test_delete_other_trainers_package_is_404(http, other_trainer, trainer_headers, stripe_api):
    package = BillingPackageFactory(trainer=other_trainer)

    assert_error(http.delete(f"{URL}/{package.id}", headers=trainer_headers), 404, message="Package not found")
    assert stripe_api.requests == []


def test_delete_by_client_is_403(http, trainer, client_headers, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    assert_error(http.delete(f"{URL}/{package.id}", headers=client_headers), 403, "role")


def test_delete_without_token_is_401(http, trainer, stripe_api):
    package = BillingPackageFactory(trainer=trainer)

    assert_error(http.delete(f"{URL}/{package.id}"), 401, message="Authentication required")
