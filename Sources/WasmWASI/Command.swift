import WasmCore

/// Running WASI commands: how an exit code surfaces.
extension WASI {
    /// Calls the command's `entry` export (`_start`) and returns its exit code:
    /// 0 when it returns, the `proc_exit` code when it exits. Traps and other
    /// errors propagate.
    public func runCommand(_ instance: Instance, entry: String = "_start") throws -> UInt32 {
        guard instance.function(named: entry) != nil else {
            throw WASIError("the module exports no function '\(entry)'")
        }
        return try WASI.exitCode { _ = try instance.invoke(entry) }
    }

    /// Runs `body` (which invokes a guest) and returns 0, or the code of the
    /// `WASIExit` it threw. Any other error propagates.
    public static func exitCode(_ body: () throws -> Void) throws -> UInt32 {
        do {
            try body()
            return 0
        } catch let exit as WASIExit {
            return exit.code
        }
    }
}
