//! A RAM policy document from anyone: it is refused with a message or accepted, never a panic;
//! an accepted one can be asked which actions match nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = dwc::authz::Policy::parse(text) {
            let _ = p.unmatched_actions();
        }
    }
});
