"""Long cache lifetimes and compression for the dashboard's own assets (dashboards/assets/).

Dash fingerprints its component bundles itself (`name.v4_4_1m123.js`, cached for a year) but
links the files of the assets folder as `name.css?m=<modified time>` and serves them with
`no-cache` and uncompressed (Flask streams files, and Flask-Compress leaves streamed responses
alone). The `m` parameter changes whenever the file does, so such a URL may be kept for a year
like a fingerprinted one; read into memory, the response is compressed like any other.
"""

from __future__ import annotations

from flask import Flask, Response, request

from dashboards.auth import PREFIX

ASSETS_PATH = PREFIX + "assets/"
ONE_YEAR = 365 * 24 * 3600


def cache_fingerprinted_assets(response: Response) -> Response:
    """after_request: an asset asked for with its `m` fingerprint is cached for a year and compressible."""
    if not request.path.startswith(ASSETS_PATH) or "m" not in request.args or response.status_code != 200:
        return response
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.cache_control.no_cache = None
    if response.direct_passthrough:
        # A few hundred KB at most (Bootstrap's CSS); in memory, Flask-Compress compresses it.
        response.direct_passthrough = False
        body = response.get_data()
        response.close()  # the file Flask opened to stream
        response.set_data(body)
    return response


def init_caching(server: Flask) -> None:
    """Install the hook; Flask runs after_request hooks last-registered first, so it runs before compression."""
    server.after_request(cache_fingerprinted_assets)
