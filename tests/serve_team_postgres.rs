//! The team tests of tests/serve_team.rs with the served store in PostgreSQL: two consoles
//! seeing each other's changes, and twenty clients making conflicting changes at once.

#[path = "serve_team.rs"]
mod suite;
