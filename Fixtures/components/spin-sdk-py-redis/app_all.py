"""app.py's Redis handler plus an HTTP handler, for the Spin SDK's `spin-all` world (both exports
in one component; build.sh builds all.wasm from it). Any HTTP request answers the `default`
key-value store's `count` that the Redis handler increments ("0" before any message).
(The HTTP class lives here, not in app.py: spin_sdk.http has no IncomingHandler in a `spin-redis`
build.)
"""
from spin_sdk import http, key_value
from app import InboundRedis  # noqa: F401 (the Redis export)


class IncomingHandler(http.IncomingHandler):
    def handle_request(self, request: http.Request) -> http.Response:
        with key_value.open_default() as store:
            stored = store.get("count")
        return http.Response(200, {"content-type": "text/plain"}, stored or b"0")
