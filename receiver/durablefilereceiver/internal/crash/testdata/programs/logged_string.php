<?php
// A caught exception logged as a string with error_log: "Exception: msg in file:line",
// then "Stack trace:" and #N frames, without PHP's "Uncaught" header.
function charge($amount) {
    if ($amount <= 0) {
        throw new InvalidArgumentException("amount must be positive, got $amount");
    }
}
function checkout() { charge(-5); }
fwrite(STDERR, date('c') . " INFO checkout started\n");
try {
    checkout();
} catch (Exception $e) {
    error_log((string) $e);
}
fwrite(STDERR, date('c') . " INFO checkout aborted\n");
