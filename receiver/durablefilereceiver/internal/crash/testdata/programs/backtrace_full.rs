// A panic with RUST_BACKTRACE=full: every frame, with its address, including the
// runtime's own.
fn parse_port(s: &str) -> u16 {
    s.parse().expect("PORT must be a number")
}

fn main() {
    println!("2026-12-03T10:00:00Z INFO starting");
    let port = parse_port("http");
    println!("{port}");
}
