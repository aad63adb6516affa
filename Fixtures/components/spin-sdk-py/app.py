"""A Spin HTTP component written with the Python Spin SDK 3.4.1 (componentize-py 0.17.2): the same
routes and answers as ../spin-sdk-c/app.c, each using one Spin 2.x host interface.

  GET  /var?name=N                          the variable's value
  GET  /kv/get?store=L&key=K                the value; 404 "not found" when absent
  POST /kv/set?store=L&key=K   (body)       "ok"
  GET  /kv/delete?store=L&key=K             "ok"
  GET  /redis/get?key=K[&address=A]         the value; 404 "not found" (A defaults to the variable redis_address)
  POST /redis/set?key=K[&address=A] (body)  "ok"
  GET  /redis/incr?key=K[&address=A]        the new value
  GET  /pg/query?sql=S[&param=P][&address=A]    "col:type,...\\nv,...\\n..." (A defaults to pg_address)
  GET  /pg/execute?sql=S[&param=P][&address=A]  "N rows"
  ANY  /outbound?url=U[&method=M]  (body)   "STATUS\\nBODY": sends M (default GET) to U with the
                                            request's body and `x-from-guest: spin-sdk`
Errors answer 500 "error: KIND[: MESSAGE]" (the WIT case name); a missing parameter 400.
"""
import re
from urllib.parse import urlsplit, parse_qs

from spin_sdk import http, key_value, postgres, redis, variables
from spin_sdk.http import Request, Response
from spin_sdk.wit.imports import rdbms_types as rdbms
from spin_sdk.wit.types import Err


def text(status, s):
    return Response(status, {"content-type": "text/plain"}, s.encode() if isinstance(s, str) else s)


def error_text(e):
    """An error value as the C SDK writes it: its WIT case name, then its string payload if any."""
    value = e.value if isinstance(e, Err) else e
    name = type(value).__name__.split("_", 1)[-1]
    kind = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
    payload = getattr(value, "value", None)
    return text(500, f"error: {kind}: {payload}" if isinstance(payload, str) else f"error: {kind}")


def db_text(v):
    if isinstance(v, rdbms.DbValue_DbNull):
        return "NULL"
    if isinstance(v, rdbms.DbValue_Boolean):
        return "true" if v.value else "false"
    if isinstance(v, (rdbms.DbValue_Floating32, rdbms.DbValue_Floating64)):
        return "%g" % v.value
    if isinstance(v, rdbms.DbValue_Binary):
        return f"<{len(v.value)} bytes>"
    if isinstance(v, rdbms.DbValue_Unsupported):
        return "<unsupported>"
    return str(v.value)


class IncomingHandler(http.IncomingHandler):
    def handle_request(self, request: Request) -> Response:
        url = urlsplit(request.uri)
        q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        body = request.body or b""
        try:
            return self.route(request, url.path, q, body)
        except Err as e:
            return error_text(e)

    def route(self, request, path, q, body):
        if path == "/var":
            if "name" not in q:
                return text(400, "name is required")
            return text(200, variables.get(q["name"]))
        if path.startswith("/kv/"):
            if "store" not in q or "key" not in q:
                return text(400, "store and key are required")
            with key_value.open(q["store"]) as store:
                if path == "/kv/get":
                    value = store.get(q["key"])
                    return text(404, "not found") if value is None else text(200, value)
                if path == "/kv/set":
                    store.set(q["key"], body)
                    return text(200, "ok")
                if path == "/kv/delete":
                    store.delete(q["key"])
                    return text(200, "ok")
        if path.startswith("/redis/"):
            if "key" not in q:
                return text(400, "key is required")
            address = q.get("address") or variables.get("redis_address")
            with redis.open(address) as conn:
                if path == "/redis/get":
                    value = conn.get(q["key"])
                    return text(404, "not found") if value is None else text(200, value)
                if path == "/redis/set":
                    conn.set(q["key"], body)
                    return text(200, "ok")
                if path == "/redis/incr":
                    return text(200, str(conn.incr(q["key"])))
        if path in ("/pg/query", "/pg/execute"):
            if "sql" not in q:
                return text(400, "sql is required")
            params = [rdbms.ParameterValue_Str(q["param"])] if "param" in q else []
            address = q.get("address") or variables.get("pg_address")
            with postgres.open(address) as conn:
                if path == "/pg/execute":
                    return text(200, f"{conn.execute(q['sql'], params)} rows")
                rows = conn.query(q["sql"], params)
                out = ",".join(f"{c.name}:{c.data_type.value}" for c in rows.columns) + "\n"
                for row in rows.rows:
                    out += ",".join(db_text(v) for v in row) + "\n"
                return text(200, out)
        if path == "/outbound":
            if "url" not in q:
                return text(400, "url is required")
            answer = http.send(Request(q.get("method", "GET"), q["url"], {"x-from-guest": "spin-sdk"}, body))
            return text(200, f"{answer.status}\n".encode() + (answer.body or b""))
        if path == "/echo":
            # The request as the SDK read it: method, path, body.
            return text(200, f"{request.method} {request.uri}\n".encode() + body)
        return text(404, "no such route")
