import TestSupport
import Testing

/// The live PostgreSQL suites, run one test at a time (they share one server and some table names).
/// A test that restarts or stops a server does it to its own (`PostgresTestServer.privateServer()`):
/// suites outside this one (the Spin SDK apps) use the shared server at the same time.
@Suite(.serialized, .tags(.live), .enabled(if: PostgresTestServer.available, PostgresTestServer.skipMessage))
struct PostgresTests {}
