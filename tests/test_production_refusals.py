"""Production refuses unsafe setups, naming each, with ALLOW_UNSAFE_PRODUCTION for deliberate ones."""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from cryptography.fernet import Fernet

from config import WAIVABLE_CHECKS, ConfigurationError, ProductionConfig
from fitbud import create_app
from tests.api.test_config import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[1]


def _production(**changes: str | None) -> ProductionConfig:
    environ = {**PRODUCTION_ENV, **changes}
    return ProductionConfig(environ={k: v for k, v in environ.items() if v is not None})


UNSAFE = [
    pytest.param({"SECRET_KEY": "x"}, "SECRET_KEY is too short", id="secret-one-byte"),
    pytest.param({"SECRET_KEY": "k" * 64}, "SECRET_KEY is one character repeated", id="secret-repeated"),
    pytest.param(
        {"JWT_SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]},
        "JWT_SECRET_KEY is the same as SECRET_KEY",
        id="jwt-equals-secret",
    ),
    pytest.param({"JWT_SECRET_KEY": "j" * 48}, "JWT_SECRET_KEY is one character repeated", id="jwt-repeated"),
    pytest.param({"FIELD_ENCRYPTION_KEYS": "A" * 43 + "="}, "key 1 is one character repeated", id="fernet-all-a"),
    pytest.param(
        {"FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode() + ",not-a-key"},
        "key 2 is not a Fernet key",
        id="fernet-invalid-old-key",
    ),
    pytest.param({"DATABASE_URL": "sqlite:////srv/fitbud.db"}, "DATABASE_URL is SQLite", id="sqlite"),
    pytest.param({"REDIS_URL": None}, "REDIS_URL is missing", id="no-redis"),
    pytest.param({"RATELIMIT_ENABLED": "false"}, "RATELIMIT_ENABLED is false", id="no-rate-limits"),
    pytest.param({"JWT_COOKIE_SECURE": "false"}, "JWT_COOKIE_SECURE is false", id="cookies-without-tls"),
    pytest.param({"MAIL_BACKEND": None}, "MAIL_BACKEND is 'console'", id="console-mail-default"),
    pytest.param({"MAIL_BACKEND": "console"}, "MAIL_BACKEND is 'console'", id="console-mail"),
    pytest.param({"MAIL_BACKEND": "memory"}, "MAIL_BACKEND is 'memory'", id="memory-mail"),
    pytest.param({"SMTP_HOST": ""}, "SMTP_HOST is empty", id="smtp-without-host"),
]


@pytest.mark.parametrize("changes, named", UNSAFE)
def test_production_refuses_to_start_naming_the_unsafe_setting(changes, named):
    with pytest.raises(ConfigurationError, match=re.escape(named)) as raised:
        create_app(_production(**changes))

    assert str(raised.value).startswith("Fitbud refuses to start in production: ")


@pytest.mark.parametrize("name", WAIVABLE_CHECKS)
def test_a_refusal_names_its_override(name):
    unsafe = {
        "DATABASE_URL": {"DATABASE_URL": "sqlite:////srv/fitbud.db"},
        "REDIS_URL": {"REDIS_URL": None},
        "RATELIMIT_ENABLED": {"RATELIMIT_ENABLED": "false"},
        "JWT_COOKIE_SECURE": {"JWT_COOKIE_SECURE": "false"},
        "MAIL_BACKEND": {"MAIL_BACKEND": "console"},
    }[name]

    with pytest.raises(ConfigurationError, match=f"set ALLOW_UNSAFE_PRODUCTION={name} to accept it"):
        _production(**unsafe).validate()
    _production(**unsafe, ALLOW_UNSAFE_PRODUCTION=f"{name}").validate()


def test_a_deliberate_one_machine_trial_starts_with_every_waiver_named(tmp_path):
    settings = _production(
        DATABASE_URL=f"sqlite:///{tmp_path / 'trial.db'}",
        REDIS_URL=None,
        MAIL_BACKEND="console",
        ALLOW_UNSAFE_PRODUCTION="database_url, REDIS_URL,MAIL_BACKEND",
    )

    warnings = []
    with patch.object(logging.getLogger("fitbud"), "warning", lambda *args: warnings.append(args[0] % args[1:])):
        app = create_app(settings)

    assert app.config["ALLOW_UNSAFE_PRODUCTION"] == ["DATABASE_URL", "MAIL_BACKEND", "REDIS_URL"]
    assert warnings == ["production checks waived by ALLOW_UNSAFE_PRODUCTION: DATABASE_URL, MAIL_BACKEND, REDIS_URL"]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"SECRET_KEY": "x", "ALLOW_UNSAFE_PRODUCTION": "SECRET_KEY"}, id="short-secret"),
        pytest.param(
            {"FIELD_ENCRYPTION_KEYS": "A" * 43 + "=", "ALLOW_UNSAFE_PRODUCTION": "FIELD_ENCRYPTION_KEYS"},
            id="fernet-all-a",
        ),
    ],
)
def test_weak_secrets_cannot_be_waived(changes):
    with pytest.raises(ConfigurationError, match="cannot be waived"):
        _production(**changes).validate()


def test_production_cookies_are_secure_and_same_site():
    settings = _production()

    assert settings.JWT_COOKIE_SECURE is True and settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" and settings.JWT_COOKIE_SAMESITE == "Lax"


def test_seed_demo_refuses_to_run_in_production(tmp_path):
    app = create_app(
        _production(DATABASE_URL=f"sqlite:///{tmp_path / 'prod.db'}", ALLOW_UNSAFE_PRODUCTION="DATABASE_URL")
    )

    result = app.test_cli_runner().invoke(args=["fitbud", "seed-demo"])

    assert result.exit_code == 1
    assert "seed-demo refuses to run with FLASK_CONFIG=production" in result.output
    assert "Demo logins" not in result.output
    assert not (tmp_path / "prod.db").exists() or (tmp_path / "prod.db").stat().st_size == 0


def _env_file(text: str) -> dict[str, str]:
    """The uncommented NAME=value lines of an env file."""
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.M))


def test_env_example_filled_in_as_it_says_gives_a_valid_production_setup():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    env = _env_file((ROOT / ".env.example").read_text())
    # What the comments ask the operator to fill in, generated the way they say.
    empty = {name for name, value in env.items() if value == ""}
    assert empty == {"POSTGRES_PASSWORD", "SECRET_KEY", "JWT_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "SMTP_HOST"}
    env.update(
        POSTGRES_PASSWORD="pw",
        SECRET_KEY=secrets.token_urlsafe(48),
        JWT_SECRET_KEY=secrets.token_urlsafe(48),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SMTP_HOST="smtp.example.org",
    )
    web = compose["services"]["web"]["environment"]
    compose_password = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    env.update({name: value.replace(compose_password, "pw") for name, value in web.items()})

    settings = ProductionConfig(environ=env)
    settings.validate()

    assert settings.MAIL_BACKEND == "smtp" and settings.REDIS_URL and settings.ALLOW_UNSAFE_PRODUCTION == []
