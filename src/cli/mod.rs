//! The command-line front end (scope OpenAPI, DESIGN §9). Built in the persistent-console issue.
