fn parse_port(s: &str) -> u16 {
    s.parse().expect("PORT must be a number")
}

fn main() {
    println!("2026-11-25T10:00:00Z INFO booting");
    let port = parse_port("eighty");
    println!("port {}", port);
}
