//! The SIGKILL test of tests/crash.rs with the store in PostgreSQL: a killed dwc's open
//! transaction is rolled back by the server, and every acknowledged change is there.

#[path = "crash.rs"]
mod suite;
