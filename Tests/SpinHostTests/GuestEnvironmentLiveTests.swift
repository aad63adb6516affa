import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `spin up` must not hand its own environment to guests: a WAGI guest (Fixtures/http,
/// route /env/...) prints every variable it sees.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(1))) struct GuestEnvironmentLiveTests {
    @Test func hostEnvironmentIsNotVisibleToGuests() throws {
        setenv("SPIN_TEST_HOST_ONLY_SECRET", "leak", 1)
        defer { unsetenv("SPIN_TEST_HOST_ONLY_SECRET") }
        let spin = try SpinUpProcess(["-f", SpinUpLiveTests.fixtures, "--quiet"])
        defer { spin.stop() }
        let env = try spin.request("GET", "/env")
        #expect(env.status == 200)
        #expect(env.text.contains("REQUEST_METHOD=GET\n"), "the guest printed its environment")
        for name in ["SPIN_TEST_HOST_ONLY_SECRET", "PATH", "HOME"] {
            #expect(!env.text.contains("\n\(name)=") && !env.text.hasPrefix("\(name)="), "\(name) leaked")
        }
        #expect(!env.text.contains("leak"))
    }
}
