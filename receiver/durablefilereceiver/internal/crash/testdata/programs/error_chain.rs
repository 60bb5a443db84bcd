// An error and its causes printed the way anyhow's {:?} does: "Error: ...", a blank line,
// "Caused by:" and numbered causes, then exit 1.
use std::process;

fn main() {
    println!("2026-12-03T10:00:00Z INFO syncing");
    eprintln!("Error: sync failed\n\nCaused by:\n    0: fetching page 3\n    1: connection reset by peer (os error 104)");
    process::exit(1);
}
