//! The one API every front end calls (DESIGN §1): Session → operation → authorize → validate →
//! transact with its audit record → typed result. Built in the persistent-console issue.
