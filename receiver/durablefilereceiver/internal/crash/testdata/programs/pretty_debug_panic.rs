// A panic whose message is a value's pretty Debug ({:#?}): the message spans lines, then
// the note about RUST_BACKTRACE, after an ordinary line.
#[derive(Debug)]
struct Config {
    listen: String,
    workers: u32,
    upstreams: Vec<String>,
}

fn main() {
    println!("2026-12-03T10:00:00Z INFO validating config");
    let cfg = Config { listen: "0.0.0.0:8080".into(), workers: 0, upstreams: vec!["10.0.3.17:9000".into()] };
    if cfg.workers == 0 {
        panic!("invalid config: {:#?}", cfg);
    }
}
