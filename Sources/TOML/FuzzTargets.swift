/// The TOML fuzz target: what `Scripts/fuzz toml` runs under libFuzzer and what the replay
/// test runs on every file of `Fixtures/fuzz/{crashes,seeds}/toml`. It accepts any bytes;
/// a rejected document is the expected outcome, a crash is a finding.
public enum TOMLFuzzTargets {
    /// Parses `bytes` as a TOML document.
    public static func toml(_ bytes: [UInt8]) {
        _ = try? TOML.parse(bytes: bytes)
    }
}
