import Testing

@testable import SpinTooling

/// Spin's `SPIN_DATA_DIR` (issue 21): installed templates live in `$SPIN_DATA_DIR/templates`.
@Suite struct SpinDataDirTests {
    @Test func templatesLiveInSpinsDataDirectory() {
        #expect(
            TemplateRepository.defaultUserDirectory(environment: ["SPIN_DATA_DIR": "/data/spin", "HOME": "/home/u"])
                == "/data/spin/templates")
        // SPIN_TEMPLATES_DIR (this host's) still wins; an empty SPIN_DATA_DIR is ignored.
        #expect(
            TemplateRepository.defaultUserDirectory(environment: ["SPIN_DATA_DIR": "/data", "SPIN_TEMPLATES_DIR": "/t"])
                == "/t")
        #expect(
            TemplateRepository.defaultUserDirectory(environment: ["SPIN_DATA_DIR": "", "HOME": "/home/u"])
                == "/home/u/.local/share/spin/templates")
    }
}
