// A worker thread panics; main logs the join error and goes on.
use std::thread;
fn main() {
    println!("2026-12-03T10:00:00Z INFO starting worker");
    let h = thread::spawn(|| { let v: Vec<u32> = Vec::new(); v[3] });
    match h.join() {
        Ok(_) => println!("2026-12-03T10:00:01Z INFO worker done"),
        Err(_) => println!("2026-12-03T10:00:01Z ERROR worker failed, restarting"),
    }
}
