//! The CLI suite of tests/cli.rs on PostgreSQL: every test there runs again here with its store
//! in a new database of a server this binary starts from the installed binaries (the helper
//! knows this binary by its name). Without PostgreSQL (outside CI) they run on directories.

#[path = "cli.rs"]
mod suite;
