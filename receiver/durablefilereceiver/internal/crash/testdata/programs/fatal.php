<?php
// An uncaught exception: PHP's fatal error with its stack trace.
echo "[2026-12-03 10:00:00] orders.INFO: charging card\n";
function charge(int $amount): void {
    throw new InvalidArgumentException("amount must be positive, got $amount");
}
function handle(): void { charge(-5); }
handle();
