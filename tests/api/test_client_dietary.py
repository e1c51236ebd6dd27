"""A client's allergies and dietary preferences: set by the trainer or the client, encrypted, in the OpenAPI."""

from __future__ import annotations

from sqlalchemy import text

from fitbud.extensions import db
from fitbud.services.dietary import allergens_named_in, needs_from
from tests.helpers import assert_error

DIETARY = {
    "allergies": ["peanuts", "milk"],
    "other_allergies": "kiwi",
    "dietary_preferences": ["vegetarian", "halal"],
    "dislikes": "mushrooms, olives",
}


def test_the_trainer_sets_allergies_and_preferences_and_sees_them(http, trainer_headers, client_record):
    response = http.patch(f"/api/v1/clients/{client_record.id}", json=DIETARY, headers=trainer_headers)

    assert response.status_code == 200
    assert {key: response.json[key] for key in DIETARY} == DIETARY
    again = http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers)
    assert again.json["allergies"] == ["peanuts", "milk"]


def test_a_new_client_can_be_created_with_allergies(http, trainer_headers):
    response = http.post(
        "/api/v1/clients",
        json={"email": "new@example.com", "name": "New", "allergies": ["sesame"], "dietary_preferences": ["vegan"]},
        headers=trainer_headers,
    )

    assert response.status_code == 201
    assert response.json["client"]["allergies"] == ["sesame"]
    assert response.json["client"]["dietary_preferences"] == ["vegan"]


def test_nothing_recorded_reads_as_empty_lists_and_text(http, trainer_headers, client_record):
    response = http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers)

    assert response.json["allergies"] == [] and response.json["dietary_preferences"] == []
    assert response.json["other_allergies"] == "" and response.json["dislikes"] == ""


def test_a_field_not_given_keeps_its_value(http, trainer_headers, client_record):
    http.patch(f"/api/v1/clients/{client_record.id}", json=DIETARY, headers=trainer_headers)
    response = http.patch(f"/api/v1/clients/{client_record.id}", json={"allergies": ["eggs"]}, headers=trainer_headers)

    assert response.json["allergies"] == ["eggs"]
    assert response.json["dietary_preferences"] == ["vegetarian", "halal"]


def test_the_client_sees_and_changes_their_own(http, trainer_headers, client_headers, client_record):
    http.patch(f"/api/v1/clients/{client_record.id}", json=DIETARY, headers=trainer_headers)

    mine = http.get("/api/v1/me/profile", headers=client_headers)
    changed = http.patch(
        "/api/v1/me/profile", json={"allergies": ["fish"], "dislikes": "liver"}, headers=client_headers
    )
    trainer_view = http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers)

    assert mine.json["allergies"] == ["peanuts", "milk"]
    assert changed.status_code == 200 and changed.json["allergies"] == ["fish"]
    assert trainer_view.json["allergies"] == ["fish"] and trainer_view.json["dislikes"] == "liver"


def test_the_stored_value_is_encrypted(http, trainer_headers, client_record):
    http.patch(f"/api/v1/clients/{client_record.id}", json=DIETARY, headers=trainer_headers)

    stored = db.session.execute(
        text("SELECT dietary_details FROM clients WHERE id = :id"), {"id": client_record.id}
    ).scalar_one()
    assert "peanuts" not in stored and "mushrooms" not in stored


def test_an_allergen_outside_the_vocabulary_is_refused(http, trainer_headers, client_record):
    response = http.patch(f"/api/v1/clients/{client_record.id}", json={"allergies": ["nuts"]}, headers=trainer_headers)

    assert_error(response, 422, "allergies.0")


def test_a_preference_outside_the_vocabulary_is_refused(http, client_headers):
    response = http.patch("/api/v1/me/profile", json={"dietary_preferences": ["keto"]}, headers=client_headers)

    assert_error(response, 422, "dietary_preferences.0")


def test_a_repeated_allergen_is_refused(http, trainer_headers, client_record):
    response = http.patch(
        f"/api/v1/clients/{client_record.id}", json={"allergies": ["milk", "milk"]}, headers=trainer_headers
    )

    assert_error(response, 422, "allergies")


def test_free_text_over_the_limit_is_refused(http, trainer_headers, client_record):
    response = http.patch(f"/api/v1/clients/{client_record.id}", json={"dislikes": "x" * 501}, headers=trainer_headers)

    assert_error(response, 422, "dislikes")


def test_another_trainers_client_is_not_found(http, other_trainer_headers, client_record):
    response = http.patch(
        f"/api/v1/clients/{client_record.id}", json={"allergies": ["milk"]}, headers=other_trainer_headers
    )

    assert_error(response, 404, message="No such client")


def test_the_openapi_lists_the_vocabularies(http):
    spec = http.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]

    def enum_of(prop: dict) -> list[str]:
        items = prop["items"]
        return schemas[items["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in items else items["enum"]

    profile = schemas["ClientProfile"]["properties"]
    update = schemas["ClientUpdate"]["properties"]
    assert "tree_nuts" in enum_of(profile["allergies"]) and "tree_nuts" in enum_of(update["allergies"])
    assert "lactose_free" in enum_of(profile["dietary_preferences"])
    assert update["dislikes"]["type"] == "string"


def test_free_text_allergies_that_name_an_allergen_count_as_it():
    assert allergens_named_in("Peanuts") == {"peanuts"}
    assert allergens_named_in("shellfish") == {"crustaceans", "molluscs"}
    assert allergens_named_in("walnuts, eggs") == {"tree_nuts", "eggs"}
    assert allergens_named_in("coconut, nutmeg, kiwi") == set()


def test_health_allergies_and_other_allergies_join_the_structured_ones():
    needs = needs_from(["milk"], other_allergies="kiwi, sesame seeds", health_allergies=["Peanuts"])

    assert needs.allergens == {"milk", "sesame", "peanuts"}
    assert needs.unchecked_allergies == ("kiwi",)
