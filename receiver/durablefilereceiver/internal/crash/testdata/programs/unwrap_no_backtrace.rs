// unwrap() on an Err without RUST_BACKTRACE: the panic message and the runtime's note.
fn main() {
    println!("2026-12-03T10:00:00Z INFO opening database");
    let conn: Result<u32, String> = Err("connection refused (os error 111)".to_string());
    let c = conn.unwrap();
    println!("{c}");
}
