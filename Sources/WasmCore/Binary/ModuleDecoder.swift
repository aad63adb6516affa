/// Decodes a module's sections. (Being written.)
public enum ModuleDecoder {
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ModuleInfo {
        throw DecodeError("decoder not implemented yet", offset: 0)
    }
}
