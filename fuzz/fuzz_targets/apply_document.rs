//! An apply document from anyone, read as `dwc apply` reads it before any store is touched:
//! refused with a message naming the field, or read, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dwc::console::read_document(text);
    }
});
