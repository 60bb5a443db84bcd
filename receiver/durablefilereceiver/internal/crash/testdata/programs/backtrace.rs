// A panic with RUST_BACKTRACE=1: the message, then a numbered backtrace.
fn parse_port(s: &str) -> u16 { s.parse().expect("port must be a number") }
fn main() {
    println!("2026-12-03T10:00:00Z INFO starting listener");
    let port = parse_port("http");
    println!("listening on {port}");
}
