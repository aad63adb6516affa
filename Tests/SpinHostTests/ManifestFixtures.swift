import Foundation

/// Manifest texts for the loader tests, each with its origin (schemas: docs/spin-1x.md#manifest-v1, #manifest-v2).
enum ManifestFixtures {
    /// Verbatim, `fermyon/spin examples/spin-wagi-http/spin.toml@v1.5.1`.
    static let spinWagiHTTP = """
        spin_manifest_version = "1"
        authors = ["Fermyon Engineering <engineering@fermyon.com>"]
        description = "A hello world application that serves content from a C++ program and a Rust program"
        name = "spin-wagi-hello"
        trigger = { type = "http", base = "/" }
        version = "1.0.0"

        [[component]]
        id = "hello"
        source = "wagi-http-cpp/main.wasm"
        [component.trigger]
        route = "/hello"
        executor =  { type = "wagi" } # _start (the default entrypoint) is automatically mapped to main()
        [component.build]
        command = "make build -C wagi-http-cpp"

        [[component]]
        id = "goodbye"
        source = "http-rust/target/wasm32-wasi/release/goodbyerust.wasm"
        [component.trigger]
        route = "/goodbye"
        executor =  { type = "spin" }
        """

    /// Verbatim, `fermyon/spin examples/redis-rust/spin.toml@v1.5.1`.
    static let redisRust = """
        spin_manifest_version = "1"
        name = "spin-redis"
        trigger = {type = "redis", address = "redis://localhost:6379"}
        version = "0.1.0"
        [[component]]
        id = "echo-message"
        source = "target/wasm32-wasi/release/spinredis.wasm"
        [component.trigger]
        channel="messages"
        """

    /// `fermyon/spin examples/config-rust/spin.toml@v1.5.1`, in part: our copy
    /// quotes the `[variables]` and `[component.config]` parts verbatim and
    /// elides the rest ("..."); the elided keys are filled in here.
    static let configRust = """
        spin_manifest_version = "1"
        name = "spin-config-rust"
        trigger = { type = "http", base = "/" }
        version = "0.1.0"
        [variables]
        object = { default = "teapot" }
        dotenv = { default = "should-be-replaced" }
        [[component]]
        id = "spin_config_rust"
        source = "target/wasm32-wasi/release/spin_config_rust.wasm"
        [component.trigger]
        route = "/..."
        [component.config]
        message = "I'm a {{object}}"
        dotenv = "{{dotenv}}"
        """

    /// The `[[component]]` of `templates/static-fileserver/content/spin.toml@v1.5.1`
    /// verbatim (template placeholders and all), under a minimal top level.
    static let staticFileserver = """
        spin_manifest_version = "1"
        name = "fileserver"
        trigger = { type = "http", base = "/" }
        version = "0.1.0"
        [[component]]
        source = { url = "https://github.com/fermyon/spin-fileserver/releases/download/v0.0.3/spin_static_fs.wasm", digest = "sha256:38bf971900228222f7f6b2ccee5051f399adca58d71692cdfdea98997965fd0d" }
        id = "{{ project-name }}"
        files = [{ source = "{{ files-path }}", destination = "/" }]
        [component.trigger]
        route = "{{ http-path | http_wildcard }}"
        """

    /// A v2 manifest using every key this loader reads (schema: docs/spin-1x.md#manifest-v2). It is a sketch, not a
    /// loadable file: `[[trigger.redis]]` names a component `echo` that is
    /// never defined, and the digest is the placeholder `sha256:...`.
    static let v2MaximalSketch = """
        spin_manifest_version = 2            # an integer here; v1 used the string "1"

        [application]
        name = "maximal"
        version = "9999.9.9"
        description = "..."
        authors = ["alice@example.com"]
        [application.trigger.http]           # settings shared by every HTTP trigger
        base = "/"
        [application.trigger.redis]
        address = "redis://localhost:6379"

        [variables]
        var_one = { default = "Default" }
        var_TWO = { required = true, secret = true }

        [[trigger.http]]
        id = "trigger-x"
        route = "/..."
        component = "maximal-component"      # an id, or an inline component table
        executor = { type = "wagi" }

        [[trigger.redis]]
        channel = "messages"
        component = "echo"                   # not defined below: the sketch does not load as is
        # a per-trigger `address` may override the application's

        [component.maximal-component]
        source = { url = "https://...", digest = "sha256:..." }
        description = "..."
        variables = { name = "{{ app_var }}" }
        environment = { VAR = "val" }
        files = ["pattern/*", { source = "placement", destination = "/" }]
        exclude_files = ["**/secret"]
        allowed_outbound_hosts = ["https://example.com:443", "redis://*:*"]
        allowed_http_hosts = ["example.com"]        # the v1 key, still read
        key_value_stores = ["default"]
        sqlite_databases = ["default"]
        ai_models = ["llama2-chat"]
        [component.maximal-component.build]
        command = "cargo build"
        workdir = "my-component"
        watch = ["src/**/*.rs"]
        """

    /// The sketch made loadable with the two smallest edits: a real digest
    /// and an `echo` component.
    static var v2Maximal: String {
        v2MaximalSketch
            .replacingOccurrences(
                of: "digest = \"sha256:...\"",
                with: "digest = \"sha256:38bf971900228222f7f6b2ccee5051f399adca58d71692cdfdea98997965fd0d\"")
            + "\n\n[component.echo]\nsource = \"echo.wasm\"\n"
    }
}
