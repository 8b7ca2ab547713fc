//! dwc's entry point. Until the console service and its front ends land (issues 3 and 4), it
//! states what this build holds rather than pretending to open a console.

fn main() {
    println!(
        "dwc {}: terminal management console for a DataWorks-style data platform\n\n\
         This build holds the domain core and the permission engine only; the console (TUI) and \n\
         the command line are not built yet. `cargo test` exercises what is here, `cargo bench` \n\
         measures authorization.",
        env!("CARGO_PKG_VERSION")
    );
}
