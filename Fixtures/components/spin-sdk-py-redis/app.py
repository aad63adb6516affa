"""A Spin Redis component written with the Python Spin SDK 3.4.1 (componentize-py 0.17.2, the
`spin-redis` world: it exports `fermyon:spin/inbound-redis`). Per message it uses the host:

  payload P (UTF-8)  the variable `prefix` is read; "<prefix>:P" is SET at the Redis key
                     "seen:P" through `fermyon:spin/redis` (address: the variable `redis_address`);
                     the key-value store `default`'s key "count" (a decimal number) is incremented;
                     then "handled P #N" is printed (N: the new count).
  payload "fail"     "refusing fail" is printed and the handler returns `err(error)` (nothing written).
  payload "trap"     raises a plain Python exception: componentize-py traps the instance.

build.sh builds it into app.wasm (the `spin-redis` world), and app_all.py (this handler plus an
HTTP one) into all.wasm (the `spin-all` world), one component for a Redis channel and an HTTP route.
"""
from spin_sdk import key_value, redis, variables
from spin_sdk.wit import exports
from spin_sdk.wit.imports import redis_types
from spin_sdk.wit.types import Err


class InboundRedis(exports.InboundRedis):
    def handle_message(self, message: bytes) -> None:
        payload = message.decode()
        if payload == "fail":
            print("refusing fail", flush=True)
            raise Err(redis_types.Error.ERROR)
        if payload == "trap":
            raise RuntimeError("asked to trap")
        prefix = variables.get("prefix")
        with redis.open(variables.get("redis_address")) as conn:
            conn.set(f"seen:{payload}", f"{prefix}:{payload}".encode())
        with key_value.open_default() as store:
            stored = store.get("count")
            count = (int(stored) if stored is not None else 0) + 1
            store.set("count", str(count).encode())
        print(f"handled {payload} #{count}", flush=True)

