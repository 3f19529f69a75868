//! The `postmortem` command.
fn main() {}
