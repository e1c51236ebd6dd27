"""Fingerprinted static files: `app.css` is served as `app.<hash>.css`, cached for a year.

The hash of a file's bytes is in its URL, so a changed file gets a new URL and browsers may keep
every URL forever (`Cache-Control: public, max-age=31536000, immutable`): repeat visits load
nothing from the network. Files are read once at start-up and served from memory, so the response
compression applies to them like to pages.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, url_for

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/app/static/"
EXTENSION_KEY = "fitbud.client_app.assets"
ONE_YEAR = 365 * 24 * 3600
SERVED_SUFFIXES = {".css", ".js", ".svg", ".png", ".ico", ".woff2", ".webmanifest"}


@dataclass(frozen=True)
class Asset:
    """One static file: its fingerprinted name, bytes and content type."""

    name: str
    fingerprinted: str
    body: bytes
    mimetype: str


def fingerprinted_name(name: str, body: bytes) -> str:
    """`css/app.css` -> `css/app.<first 10 hex of sha256>.css`."""
    digest = hashlib.sha256(body).hexdigest()[:10]
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build_manifest(directory: Path = STATIC_DIR) -> dict[str, Asset]:
    """Every servable file under `directory`, by its plain name (relative, with forward slashes)."""
    manifest: dict[str, Asset] = {}
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix not in SERVED_SUFFIXES:
            continue
        name = path.relative_to(directory).as_posix()
        body = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if mimetype.startswith("text/") or mimetype in ("application/javascript", "image/svg+xml"):
            mimetype += "; charset=utf-8"
        manifest[name] = Asset(name, fingerprinted_name(name, body), body, mimetype)
    return manifest


def _manifest() -> dict[str, Asset]:
    return current_app.extensions[EXTENSION_KEY]["by_name"]


def asset_url(name: str) -> str:
    """The fingerprinted URL of a static file, for templates: `{{ asset('app.css') }}`."""
    return url_for("client_app.static_file", filename=_manifest()[name].fingerprinted)


def static_file(filename: str) -> Response:
    """A fingerprinted file, cacheable forever; any other name (an old hash included) is a 404."""
    asset = current_app.extensions[EXTENSION_KEY]["by_fingerprint"].get(filename)
    if asset is None:
        abort(404)
    response = Response(asset.body, mimetype=asset.mimetype)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_assets(app: Flask) -> None:
    """Load the static files into this app's memory."""
    manifest = build_manifest()
    app.extensions[EXTENSION_KEY] = {
        "by_name": manifest,
        "by_fingerprint": {asset.fingerprinted: asset for asset in manifest.values()},
    }


def init_routes(bp: Blueprint) -> None:
    """Serve the files and give templates `asset()`."""
    bp.add_url_rule(f"{STATIC_PREFIX}<path:filename>", "static_file", static_file)
    bp.add_app_template_global(asset_url, "asset")
