"""`flask fitbud create-admin` and `flask fitbud seed-demo`."""

from __future__ import annotations

from sqlalchemy import func, select

from fitbud.auth.passwords import verify_password
from fitbud.auth.roles import Role
from fitbud.demo import DEMO_LOGINS
from fitbud.extensions import db
from fitbud.models import Base, User
from fitbud.services.accounts import find_user_by_email
from tests.factories import TrainerFactory

STRONG_PASSWORD = "a-long-admin-secret"


def _create_admin(runner, email: str, password: str = STRONG_PASSWORD):
    return runner.invoke(
        args=["fitbud", "create-admin", "--email", email, "--name", "Ops", "--password", password]
    )


def _row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def test_create_admin_creates_an_admin_who_can_log_in(runner):
    result = _create_admin(runner, " Ops@Example.COM ")

    assert result.exit_code == 0, result.output
    assert "Admin ops@example.com created" in result.output
    admin = find_user_by_email("ops@example.com")
    assert admin.role is Role.ADMIN
    assert admin.is_active
    assert verify_password(admin.password_hash, STRONG_PASSWORD)


def test_create_admin_with_a_weak_password_fails_with_the_reason(runner):
    result = _create_admin(runner, "ops@example.com", password="short")

    assert result.exit_code != 0
    assert "Password is too weak" in result.output
    assert "at least 10 characters" in result.output
    assert find_user_by_email("ops@example.com") is None


def test_create_admin_with_a_taken_email_fails_with_the_reason(runner):
    TrainerFactory(email="taken@example.com")

    result = _create_admin(runner, "TAKEN@example.com")

    assert result.exit_code != 0
    assert "already exists" in result.output
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 1


def test_seed_demo_prints_every_demo_login(runner, demo_world):
    result = runner.invoke(args=["fitbud", "seed-demo"])  # on seeded data, as on every later `make run`

    assert result.exit_code == 0, result.output
    for role, email, password in DEMO_LOGINS:
        line = next((line for line in result.output.splitlines() if email in line), "")
        assert role in line and password in line, f"{role} login missing from:\n{result.output}"


def test_seed_demo_twice_changes_nothing_the_second_time(runner, demo_world):
    after_first = _row_counts()  # demo_world: the first run's rows

    second = runner.invoke(args=["fitbud", "seed-demo"])

    assert second.exit_code == 0, second.output
    assert _row_counts() == after_first
    assert after_first["users"] > 0
