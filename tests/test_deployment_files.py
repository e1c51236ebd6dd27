"""The files that deploy Fitbud: every setting documented, and a compose stack that starts in order.

Docker cannot run where the suite runs, so these tests read compose.yaml and the Dockerfile
as data and check what would otherwise only fail on someone's server.
"""

from __future__ import annotations

import ast
import re
import runpy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _settings_read_by_config() -> set[str]:
    """Names config.py reads with env.get("NAME", ...) or env["NAME"]."""
    tree = ast.parse((ROOT / "config.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "env"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


@pytest.fixture(scope="module")
def compose() -> dict:
    """compose.yaml as data."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_config_reads_the_settings_this_test_expects():
    # Guards the parser below: if config.py stops using `env.get`, the other tests must not
    # pass vacuously.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "FLASK_CONFIG"} <= _settings_read_by_config()


def test_every_setting_is_listed_in_env_example():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert _settings_read_by_config() - listed == set()


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, re.M))

    assert _settings_read_by_config() - documented == set()


def test_compose_has_the_web_worker_database_redis_and_migrate_services(compose):
    assert {"web", "worker", "postgres", "redis", "migrate"} <= set(compose["services"])


def test_compose_runs_migrations_before_web_and_worker(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]
    for name in ("web", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_checks_the_health_of_postgres_and_redis(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert services["postgres"]["image"] == "postgres:16"
    assert any(":/var/lib/postgresql/data" in volume for volume in services["postgres"]["volumes"])


def test_compose_app_services_use_postgres_redis_and_env_file(compose):
    for name in ("web", "worker", "migrate"):
        service = compose["services"][name]
        assert service["env_file"] == ".env", name
        assert service["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:"), name
        assert service["environment"]["FLASK_CONFIG"] == "production", name


def test_dockerfile_serves_wsgi_app_as_a_non_root_user_with_a_health_check():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", dockerfile, re.M)
    assert re.search(r'^CMD \["gunicorn", .*"wsgi:app"\]', dockerfile, re.M)


def test_gunicorn_preloads_the_app_so_a_replaced_worker_is_a_cheap_fork():
    # gunicorn reads gunicorn.conf.py from its working directory: the repository root for
    # `make run`, /app (a copy of it) in the image. bench/README.md has the cold-start figures.
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert settings["preload_app"] is True
    assert callable(settings["post_fork"])
    assert "WORKDIR /app" in (ROOT / "Dockerfile").read_text()


def test_gunicorn_lets_the_app_answer_an_over_long_url_in_the_envelope():
    from fitbud.api.input_guard import MAX_URL_LENGTH

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    # The longest request line with a URL the app still refuses itself: method, URL, protocol.
    longest_refused_by_the_app = len("OPTIONS ") + MAX_URL_LENGTH + 1 + len(" HTTP/1.1")
    assert settings["limit_request_line"] >= longest_refused_by_the_app


def test_web_and_worker_share_the_folder_where_uploaded_imports_wait(compose):
    # A large import is stored by the web process and read by the worker's job.
    services = compose["services"]
    folder = {services[name]["environment"]["IMPORT_UPLOAD_DIR"] for name in ("web", "worker")}
    mounts = [{mount.split(":")[1] for mount in services[name]["volumes"]} for name in ("web", "worker")]
    assert len(folder) == 1 and all(folder <= mounted for mounted in mounts)
