//! The ratatui front end (scope Page, DESIGN §8). Built in the terminal-console issue.
