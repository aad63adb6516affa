import TestSupport
import Testing

/// The live PostgreSQL suites, run one test at a time (they share one server, and one test restarts it).
@Suite(.serialized, .tags(.live), .enabled(if: PostgresTestServer.available, PostgresTestServer.skipMessage))
struct PostgresTests {}
