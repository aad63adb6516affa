/// A name compared by its UTF-8 bytes, as WebAssembly compares import and export
/// names (Swift's `String` equality treats canonically equivalent strings as equal,
/// so "\u{C5}" and "A\u{30A}" would collide).
struct ExactName: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (a: ExactName, b: ExactName) -> Bool {
        a.string.utf8.elementsEqual(b.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for b in string.utf8 { hasher.combine(b) }
    }
}
