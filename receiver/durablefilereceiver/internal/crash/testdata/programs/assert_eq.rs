// assert_eq! that fails: the panic message has the left and right values on lines of their
// own.
fn main() {
    println!("2026-12-03T10:00:00Z INFO checking balance");
    let balance = 100 - 30;
    assert_eq!(balance, 60, "ledger out of balance");
}
