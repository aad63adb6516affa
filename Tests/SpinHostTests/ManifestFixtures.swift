import Foundation

/// Manifests quoted from /work/shared/reference/spin-1x.md (§1, §2).
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

    /// `fermyon/spin examples/config-rust/spin.toml@v1.5.1`: the reference
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

    /// The v2 "maximal" sketch of §2, verbatim. It is a sketch, not a
    /// loadable file: `[[trigger.redis]]` names a component `echo` that is
    /// never defined, and the digest is the placeholder `sha256:...`.
    static let v2MaximalSketch = """
        spin_manifest_version = 2            # INTEGER 2 (v1 was the STRING "1")

        [application]
        name = "maximal"                     # required
        version = "9999.9.9"                 # optional
        description = "..."                  # optional
        authors = ["alice@example.com"]      # optional
        [application.trigger.http]           # per-trigger-type global config (was v1 `trigger = {...}` minus `type`)
        base = "/"                           # default "/" (crates/http/src/trigger.rs default_base)
        [application.trigger.redis]
        address = "redis://localhost:6379"

        [variables]
        var_one = { default = "Default" }
        var_TWO = { required = true, secret = true }

        [[trigger.http]]                     # map trigger-type -> array of trigger tables
        id = "trigger-x"                     # optional; generated if absent
        route = "/..."                       # v2.5+: route may also be { private = true }
        component = "maximal-component"      # reference (kebab-case id) OR inline table { source = "x.wasm", ... }
        executor = { type = "wagi" }         # optional; "spin" is an alias of default "http"

        [[trigger.redis]]
        channel = "messages"
        component = "echo"
        # address = "redis://..."            # per-trigger override (later 2.x)

        [component.maximal-component]        # component ids are KebabId
        source = { url = "https://...", digest = "sha256:..." }   # or "local.wasm"
        description = "..."
        variables = { name = "{{ app_var }}" }     # was v1 `config`
        environment = { VAR = "val" }
        files = ["pattern/*", { source = "placement", destination = "/" }]
        exclude_files = ["**/secret"]
        allowed_outbound_hosts = ["https://example.com:443", "redis://*:*"]   # scheme REQUIRED
        allowed_http_hosts = ["example.com"]        # still accepted, deprecated, normalized
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
