#!/usr/bin/env python3
"""Writes spin-sqlite_key_value.db: a key-value database in Spin's format, made by native SQLite
(Python's sqlite3) with the statements Spin's crates/key-value-spin runs, so that the tests read a
file this host did not write. Rows: store `default` (text, binary, a counter as Spin's increment
keeps it: 8-byte little-endian), and a row of another store that `default` must not see."""
import os
import sqlite3
import struct

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spin-sqlite_key_value.db")
if os.path.exists(path):
    os.remove(path)
c = sqlite3.connect(path)
c.execute("""CREATE TABLE IF NOT EXISTS spin_key_value (
                           store TEXT NOT NULL,
                           key   TEXT NOT NULL,
                           value BLOB NOT NULL,

                           PRIMARY KEY (store, key)
                        )""")
upsert = """INSERT INTO spin_key_value (store, key, value) VALUES ($1, $2, $3)
                     ON CONFLICT(store, key) DO UPDATE SET value=$3"""
c.execute(upsert, ("default", "greeting", b"hello from Spin"))
c.execute(upsert, ("default", "binary", bytes([0, 255, 13, 10, 0])))
c.execute(upsert, ("default", "counter", struct.pack("<q", 41)))
c.execute(upsert, ("other", "greeting", b"another store's"))
c.commit()
c.close()
