// main returns an Err: Rust prints "Error: " and the error's Debug form, and exits 1.
use std::fs;

fn main() -> Result<(), std::io::Error> {
    println!("2026-12-03T10:00:00Z INFO reading settings");
    let s = fs::read_to_string("/nonexistent/settings.toml")?;
    println!("{s}");
    Ok(())
}
