"""The security headers of every response, set in one place: framing, sniffing, referrer, CSP, HSTS, caching.

Every response: `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`,
`Referrer-Policy: same-origin`, and a Content-Security-Policy. An HTML page gets the page policy
(scripts, styles, images and requests from Fitbud only; no framing, no plugins, forms post to
Fitbud or Stripe's hosted pages); anything else gets `default-src 'none'`. Inline scripts run
only when their hash is allowed: the Dash app registers its own (`allow_inline_scripts`), and the
API docs pages, which show no user data, have theirs hashed as they are served.

Production adds `Strict-Transport-Security`. A page or JSON answer to a request that carries
credentials (a bearer token or a login cookie) is `Cache-Control: private, no-store` unless its
view chose otherwise: profiles and health details must not stay in a browser's or proxy's cache.
Static files keep their own caching.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, current_app, request

EXTENSION_KEY = "fitbud.inline_script_hashes"
HSTS = "max-age=31536000"
# Stripe's hosted Checkout and customer portal: the client app's billing forms redirect there.
STRIPE_FORM_TARGETS = "https://checkout.stripe.com https://billing.stripe.com"
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DATA_BLOCK = re.compile(r"""\btype=["']application/(?:ld\+)?json["']""")


def page_policy(script_hashes: list[str]) -> str:
    """The Content-Security-Policy of an HTML page allowing these inline script hashes."""
    scripts = " ".join(["'self'", *script_hashes])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        # Dash, Plotly, Swagger UI and ReDoc set style attributes from script.
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "worker-src 'self' blob:; "
        "object-src 'none'; "
        "base-uri 'self'; "
        f"form-action 'self' {STRIPE_FORM_TARGETS}; "
        "frame-ancestors 'none'"
    )


def script_hash(source: str) -> str:
    """The CSP source expression ('sha256-...') allowing one inline script with this text."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_script_hashes(html: str) -> list[str]:
    """The hashes of every inline script of an HTML document (JSON data blocks and comments do not run)."""
    return [
        script_hash(match["body"])
        for match in _INLINE_SCRIPT.finditer(_COMMENT.sub("", html))
        if not _DATA_BLOCK.search(match["attributes"])
    ]


def allow_inline_scripts(app: Flask, path_prefix: str, hashes: list[str]) -> None:
    """Let pages under `path_prefix` run the inline scripts with these hashes (e.g. Dash's renderer)."""
    app.extensions.setdefault(EXTENSION_KEY, {})[path_prefix] = list(hashes)


def _docs_paths(app: Flask) -> tuple[str, ...]:
    prefix = app.config.get("OPENAPI_URL_PREFIX", "/api").rstrip("/")
    return tuple(
        prefix + app.config[name] for name in ("OPENAPI_SWAGGER_UI_PATH", "OPENAPI_REDOC_PATH") if app.config.get(name)
    )


def _script_hashes(response: Response) -> list[str]:
    for prefix, hashes in current_app.extensions.get(EXTENSION_KEY, {}).items():
        if request.path.startswith(prefix):
            return hashes
    if request.path in _docs_paths(current_app):
        # flask-smorest's Swagger UI page starts the viewer from an inline script; the page holds
        # nothing but the API's own description, so its scripts are hashed as served.
        return inline_script_hashes(response.get_data(as_text=True))
    return []


def _carries_credentials() -> bool:
    config = current_app.config
    cookie_names = (
        config.get("JWT_ACCESS_COOKIE_NAME", "access_token_cookie"),
        config.get("JWT_REFRESH_COOKIE_NAME", "refresh_token_cookie"),
    )
    return "Authorization" in request.headers or any(name in request.cookies for name in cookie_names)


def _is_dynamic(response: Response) -> bool:
    """An answer built for this request (a page or JSON), not a static script, stylesheet or image.

    Browsers send cookies with every same-origin request, static files included: those keep
    their own caching (Dash's bundles, the docs viewers), or every page view would download them.
    """
    mimetype = response.mimetype or ""
    return mimetype == "text/html" or mimetype == "application/json" or mimetype.endswith("+json")


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if "Content-Security-Policy" not in headers:
        is_page = response.mimetype == "text/html" and not response.direct_passthrough
        headers["Content-Security-Policy"] = page_policy(_script_hashes(response)) if is_page else API_POLICY
    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", HSTS)
    if "Cache-Control" not in headers and _is_dynamic(response) and _carries_credentials():
        headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    """Set the headers on every response of `app`."""
    app.after_request(_set_headers)
