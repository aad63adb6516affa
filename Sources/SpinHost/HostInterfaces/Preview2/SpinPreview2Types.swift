import WasmComponents

/// The types and function signatures of Spin 1.4–1.5's `wit/preview2` interfaces (package
/// `fermyon:spin`, unversioned), as the canonical ABI moves them between the host and a
/// wit-bindgen 0.8 core module (docs/spin-1x.md#preview2-modules). Only shapes matter to the
/// ABI; the WIT names are in the comments.
enum SpinPreview2Types {
    // MARK: http-types

    /// `enum method { get, post, put, delete, patch, head, options }`.
    static let method = CanonicalType.enumeration(cases: 7)
    /// `type headers = list<tuple<string, string>>` (also `params`).
    static let headers = CanonicalType.list(.tuple([.string, .string]))
    /// `type body = list<u8>`.
    static let body = CanonicalType.list(.u8)
    /// `record request { method, uri: string, headers, params: headers, body: option<body> }`.
    static let request = CanonicalType.record([method, .string, headers, headers, .option(body)])
    /// `record response { status: u16, headers: option<headers>, body: option<body> }`.
    static let response = CanonicalType.record([.u16, .option(headers), .option(body)])
    /// `enum http-error { success, destination-not-allowed, invalid-url, request-error,
    /// runtime-error, too-many-requests }`.
    static let httpError = CanonicalType.enumeration(cases: 6)

    /// `inbound-http.handle-request: func(req: request) -> response`.
    static let handleRequest = CanonicalFunctionType(parameters: [request], result: response)
    /// `http.send-request: func(req: request) -> result<response, http-error>`.
    static let sendRequest = CanonicalFunctionType(
        parameters: [request], result: .result(ok: response, error: httpError))

    // MARK: config

    /// `variant error { provider(string), invalid-key(string), invalid-schema(string), other(string) }`.
    static let configError = CanonicalType.variant([.string, .string, .string, .string])
    /// `config.get-config: func(key: string) -> result<string, error>`.
    static let getConfig = CanonicalFunctionType(
        parameters: [.string], result: .result(ok: .string, error: configError))

    // MARK: key-value

    /// `variant error { store-table-full, no-such-store, access-denied, invalid-store, no-such-key, io(string) }`.
    static let keyValueError = CanonicalType.variant([nil, nil, nil, nil, nil, .string])
    static func keyValueResult(_ ok: CanonicalType?) -> CanonicalType { .result(ok: ok, error: keyValueError) }
    /// `open: func(name: string) -> result<store, error>` (`type store = u32`).
    static let keyValueOpen = CanonicalFunctionType(parameters: [.string], result: keyValueResult(.u32))
    /// `get: func(store, key: string) -> result<list<u8>, error>`.
    static let keyValueGet = CanonicalFunctionType(parameters: [.u32, .string], result: keyValueResult(body))
    /// `set: func(store, key: string, value: list<u8>) -> result<_, error>`.
    static let keyValueSet = CanonicalFunctionType(parameters: [.u32, .string, body], result: keyValueResult(nil))
    /// `delete: func(store, key: string) -> result<_, error>`.
    static let keyValueDelete = CanonicalFunctionType(parameters: [.u32, .string], result: keyValueResult(nil))
    /// `exists: func(store, key: string) -> result<bool, error>`.
    static let keyValueExists = CanonicalFunctionType(parameters: [.u32, .string], result: keyValueResult(.bool))
    /// `get-keys: func(store) -> result<list<string>, error>`.
    static let keyValueGetKeys = CanonicalFunctionType(parameters: [.u32], result: keyValueResult(.list(.string)))
    /// `close: func(store)`.
    static let keyValueClose = CanonicalFunctionType(parameters: [.u32], result: nil)

    // MARK: redis-types, redis, inbound-redis

    /// `enum error { success, error }`.
    static let redisError = CanonicalType.enumeration(cases: 2)
    /// `variant redis-parameter { int64(s64), binary(payload) }`.
    static let redisParameter = CanonicalType.variant([.s64, body])
    /// `variant redis-result { nil, status(string), int64(s64), binary(payload) }`.
    static let redisResult = CanonicalType.variant([nil, .string, .s64, body])
    static func redisResult(_ ok: CanonicalType?) -> CanonicalType { .result(ok: ok, error: redisError) }

    /// `inbound-redis.handle-message: func(message: payload) -> result<_, error>`.
    static let handleMessage = CanonicalFunctionType(parameters: [body], result: redisResult(nil))
    /// `publish: func(address: string, channel: string, payload: payload) -> result<_, error>`.
    static let redisPublish = CanonicalFunctionType(parameters: [.string, .string, body], result: redisResult(nil))
    /// `get: func(address: string, key: string) -> result<payload, error>`.
    static let redisGet = CanonicalFunctionType(parameters: [.string, .string], result: redisResult(body))
    /// `set: func(address: string, key: string, value: payload) -> result<_, error>`.
    static let redisSet = CanonicalFunctionType(parameters: [.string, .string, body], result: redisResult(nil))
    /// `incr: func(address: string, key: string) -> result<s64, error>`.
    static let redisIncr = CanonicalFunctionType(parameters: [.string, .string], result: redisResult(.s64))
    /// `del: func(address: string, keys: list<string>) -> result<s64, error>`.
    static let redisDel = CanonicalFunctionType(parameters: [.string, .list(.string)], result: redisResult(.s64))
    /// `sadd`/`srem: func(address: string, key: string, values: list<string>) -> result<s64, error>`.
    static let redisSetMembers = CanonicalFunctionType(
        parameters: [.string, .string, .list(.string)], result: redisResult(.s64))
    /// `smembers: func(address: string, key: string) -> result<list<string>, error>`.
    static let redisSmembers = CanonicalFunctionType(
        parameters: [.string, .string], result: redisResult(.list(.string)))
    /// `execute: func(address: string, command: string, arguments: list<redis-parameter>)
    /// -> result<list<redis-result>, error>`.
    static let redisExecute = CanonicalFunctionType(
        parameters: [.string, .string, .list(redisParameter)], result: redisResult(.list(redisResult)))

    // MARK: rdbms-types, postgres, mysql

    /// `enum db-data-type` (14 cases, `boolean` … `other`).
    static let dbDataType = CanonicalType.enumeration(cases: 14)
    /// The 14 `parameter-value` cases (`boolean(bool)` … `binary(list<u8>)`, `db-null`).
    static let valueCases: [CanonicalType?] = [
        .bool, .s8, .s16, .s32, .s64, .u8, .u16, .u32, .u64, .f32, .f64, .string, body, nil,
    ]
    /// `variant parameter-value`.
    static let parameterValue = CanonicalType.variant(valueCases)
    /// `variant db-value`: the parameter cases and `unsupported`.
    static let dbValue = CanonicalType.variant(valueCases + [nil])
    /// `record row-set { columns: list<column { name: string, data-type }>, rows: list<list<db-value>> }`.
    static let rowSet = CanonicalType.record([.list(.record([.string, dbDataType])), .list(.list(dbValue))])
    /// `variant pg-error` / `mysql-error { success, connection-failed(string), bad-parameter(string),
    /// query-failed(string), value-conversion-failed(string), other-error(string) }`.
    static let databaseError = CanonicalType.variant([nil, .string, .string, .string, .string, .string])
    static let databaseParameters: [CanonicalType] = [.string, .string, .list(parameterValue)]
    /// `postgres.query` / `mysql.query: func(address, statement, params) -> result<row-set, error>`.
    static let databaseQuery = CanonicalFunctionType(
        parameters: databaseParameters, result: .result(ok: rowSet, error: databaseError))
    /// `postgres.execute: func(address, statement, params) -> result<u64, pg-error>`.
    static let postgresExecute = CanonicalFunctionType(
        parameters: databaseParameters, result: .result(ok: .u64, error: databaseError))
    /// `mysql.execute: func(address, statement, params) -> result<_, mysql-error>`.
    static let mysqlExecute = CanonicalFunctionType(
        parameters: databaseParameters, result: .result(ok: nil, error: databaseError))

    // MARK: sqlite

    /// `variant error { no-such-database, access-denied, invalid-connection, database-full, io(string) }`.
    static let sqliteError = CanonicalType.variant([nil, nil, nil, nil, .string])
    /// `variant value { integer(s64), real(float64), text(string), blob(list<u8>), null }`.
    static let sqliteValue = CanonicalType.variant([.s64, .f64, .string, body, nil])
    /// `record query-result { columns: list<string>, rows: list<row-result { values: list<value> }> }`.
    static let sqliteQueryResult = CanonicalType.record([.list(.string), .list(.record([.list(sqliteValue)]))])
    /// `open: func(database: string) -> result<connection, error>` (`type connection = u32`).
    static let sqliteOpen = CanonicalFunctionType(parameters: [.string], result: .result(ok: .u32, error: sqliteError))
    /// `execute: func(conn, statement: string, parameters: list<value>) -> result<query-result, error>`.
    static let sqliteExecute = CanonicalFunctionType(
        parameters: [.u32, .string, .list(sqliteValue)], result: .result(ok: sqliteQueryResult, error: sqliteError))
    /// `close: func(conn)`.
    static let sqliteClose = CanonicalFunctionType(parameters: [.u32], result: nil)

    // MARK: llm

    /// `variant error { model-not-supported, runtime-error(string), invalid-input(string) }`.
    static let llmError = CanonicalType.variant([nil, .string, .string])
    /// `record inferencing-params { max-tokens: u32, repeat-penalty: float32,
    /// repeat-penalty-last-n-token-count: u32, temperature: float32, top-k: u32, top-p: float32 }`.
    static let inferencingParams = CanonicalType.record([.u32, .f32, .u32, .f32, .u32, .f32])
    /// `record inferencing-result { text: string, usage: record { prompt-token-count: u32,
    /// generated-token-count: u32 } }`.
    static let inferencingResult = CanonicalType.record([.string, .record([.u32, .u32])])
    /// `record embeddings-result { embeddings: list<list<float32>>, usage: record { prompt-token-count: u32 } }`.
    static let embeddingsResult = CanonicalType.record([.list(.list(.f32)), .record([.u32])])
    /// `infer: func(model: string, prompt: string, params: option<inferencing-params>)
    /// -> result<inferencing-result, error>`.
    static let llmInfer = CanonicalFunctionType(
        parameters: [.string, .string, .option(inferencingParams)],
        result: .result(ok: inferencingResult, error: llmError))
    /// `generate-embeddings: func(model: string, text: list<string>) -> result<embeddings-result, error>`.
    static let llmGenerateEmbeddings = CanonicalFunctionType(
        parameters: [.string, .list(.string)], result: .result(ok: embeddingsResult, error: llmError))
}
