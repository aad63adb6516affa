-- Run by the real SQLite shell (sqlite3 on stdin): schema, inserts through a recursive CTE,
-- joins, GROUP BY/HAVING, window functions, JSON, printf, string and date functions,
-- indexes and EXPLAIN-free query plans, transactions, and a file database under /sandbox.
.headers on
.mode list
.separator |
.nullvalue NULL
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, budget REAL);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept_id INTEGER REFERENCES dept(id), salary INTEGER, hired TEXT, manager INTEGER);
INSERT INTO dept(name, budget) VALUES ('eng', 1.5e6), ('sales', 750000.5), ('ops', 320000), ('empty', NULL);
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 300)
INSERT INTO emp(name, dept_id, salary, hired, manager)
SELECT 'emp' || printf('%03d', n), 1 + (n * 7) % 3, 40000 + (n * 7919) % 60000,
       date('2015-01-01', '+' || ((n * 13) % 3000) || ' days'), CASE WHEN n > 10 THEN 1 + n % 10 END
FROM seq;
CREATE INDEX emp_dept ON emp(dept_id, salary);
SELECT count(*), sum(salary), min(hired), max(hired), avg(salary) FROM emp;
SELECT d.name, count(e.id) AS n, sum(e.salary) AS total, printf('%.2f', avg(e.salary)) AS mean, max(e.salary) AS top
FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.id ORDER BY total DESC NULLS LAST;
SELECT dept_id, count(*) FROM emp GROUP BY dept_id HAVING count(*) > 99 ORDER BY 1;
SELECT e.name, m.name AS boss, e.salary - m.salary AS diff FROM emp e JOIN emp m ON e.manager = m.id
WHERE e.salary > m.salary + 45000 ORDER BY diff DESC, e.name LIMIT 5;
SELECT name, salary, rank() OVER (PARTITION BY dept_id ORDER BY salary DESC) AS r,
       sum(salary) OVER (PARTITION BY dept_id ORDER BY salary DESC ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS win
FROM emp WHERE id % 37 = 0 ORDER BY dept_id, r;
SELECT strftime('%Y', hired) AS year, count(*) AS hires, group_concat(id, ',') FILTER (WHERE id < 40) AS early
FROM emp GROUP BY year ORDER BY year;
SELECT upper(substr(name, 1, 1)) || lower(substr(name, 2)), length(name), replace(name, 'emp', 'E-'), instr(name, '0'),
       hex(name), quote(name), trim('  x  '), ltrim('xxy', 'x'), unicode('é'), char(72, 105) FROM emp WHERE id IN (1, 150, 300);
SELECT printf('%d|%5d|%-5d|%x|%o|%e|%.3f|%g|%s|%q|%c|%%', 42, 42, 42, 255, 8, 1234.5, 2.0/3, 0.0001, 'str', 'it''s', 'Z');
SELECT 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 1 << 62, (1 << 63) - 1, 9223372036854775807 + 1, abs(-5), round(2.5), round(-2.5), round(3.14159, 2),
       cast('12abc' AS INTEGER), cast(3.99 AS INTEGER), typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL), 0.1 + 0.2;
SELECT json_object('a', 1, 'b', json_array(1, 2, 'three'), 'c', json('{"x":null}')) AS obj;
SELECT key, value, type FROM json_each('{"k1": [1,2], "k2": 3.5, "k3": "s", "k4": true}');
SELECT json_extract('{"a":{"b":[10,20,30]}}', '$.a.b[1]'), json_array_length('[1,2,3,4]'), json_set('{"a":1}', '$.b', 2);
SELECT date('2024-02-28', '+1 day'), date('2023-02-28', '+1 day'), julianday('2000-01-01') - julianday('1970-01-01'),
       strftime('%j %W %w', '2024-12-31'), datetime(1700000000, 'unixepoch'), time('12:34:56', '+90 minutes');
BEGIN;
UPDATE emp SET salary = salary * 2 WHERE dept_id = 3;
DELETE FROM emp WHERE id % 10 = 0;
SELECT count(*), sum(salary) FROM emp;
ROLLBACK;
SELECT count(*), sum(salary) FROM emp;
WITH RECURSIVE fib(a, b, n) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, n + 1 FROM fib WHERE n < 40) SELECT max(a) FROM fib;
WITH RECURSIVE mandel(px, py, x, y, it) AS (
  SELECT px, py, 0.0, 0.0, 0 FROM (WITH RECURSIVE r(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM r WHERE v < 23) SELECT a.v AS px, b.v AS py FROM r a, r b WHERE b.v < 11)
  UNION ALL
  SELECT px, py, x * x - y * y + (px / 12.0 - 1.5), 2 * x * y + (py / 5.5 - 1.0), it + 1 FROM mandel WHERE it < 20 AND x * x + y * y < 4)
SELECT group_concat(c, '') FROM (SELECT py, px, CASE WHEN max(it) >= 20 THEN '#' WHEN max(it) > 6 THEN '+' ELSE '.' END AS c FROM mandel GROUP BY py, px ORDER BY py, px) GROUP BY py ORDER BY py;
CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
INSERT INTO kv SELECT 'key' || value, zeroblob(value % 5) FROM generate_series(1, 50);
INSERT OR REPLACE INTO kv VALUES ('key7', x'cafe');
SELECT count(*), sum(length(v)), hex((SELECT v FROM kv WHERE k = 'key7')) FROM kv;
SELECT name FROM sqlite_schema ORDER BY name;
.mode box
SELECT id, name, salary FROM emp WHERE id <= 3;
.mode json
SELECT id, name, hired FROM emp WHERE id BETWEEN 4 AND 5;
.mode csv
SELECT * FROM dept;
.mode list
.open /sandbox/corpus.db
CREATE TABLE t(a INTEGER, b TEXT);
INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
UPDATE t SET b = b || '!' WHERE a > 1;
SELECT * FROM t ORDER BY a DESC;
PRAGMA integrity_check;
