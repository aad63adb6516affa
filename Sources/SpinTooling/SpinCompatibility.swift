/// The Spin release this implementation follows, for behaviour keyed on
/// Spin's version (such as the `spin/templates/vMAJOR.MINOR` tag that
/// `spin templates install --git` prefers).
public enum SpinCompatibility {
    /// The Spin version whose behaviour this `spin` reproduces.
    public static let version = "3.1.2"
}
