//! dwc: a terminal management console for a DataWorks-style data platform.
//!
//! Layers (DESIGN §1), dependencies pointing down only:
//! `tui`, `cli`, `serve` → `console` → `authz`, `store` → `domain`.

pub mod authz;
pub mod cli;
pub mod console;
pub mod domain;
pub mod notify;
pub mod probe;
pub mod serve;
pub mod store;
pub mod tui;
