//! dwc's entry point: parses the command line and hands over to the CLI. Without a command it
//! will open the terminal console (issue 4); until then it says so.

use clap::Parser;
use dwc::cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    if cli.command.is_none() {
        eprintln!(
            "dwc {}: the terminal console is not built yet; use the commands (`dwc --help`).",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(dwc::cli::exit::OK);
    }
    std::process::exit(run(cli));
}
