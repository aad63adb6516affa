// An HTTP component whose only import is `local:missing/thing` (no host provides it): the
// handler calls it, so `wasm-tools component new` keeps the import. Never served: `spin up`
// refuses the component at load (Tests/SpinHostTests/Components/ComponentHTTPLiveTests.swift).
#include <stdint.h>

__attribute__((import_module("local:missing/thing"), import_name("ping")))
extern uint32_t missing_ping(void);

volatile uint32_t last;

__attribute__((export_name("wasi:http/incoming-handler@0.2.0#handle")))
void handle(int32_t request, int32_t outparam) {
    (void)request;
    (void)outparam;
    last = missing_ping();
}
