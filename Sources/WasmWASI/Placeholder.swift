import WasmCore

