<?php
// An uncaught exception whose message has several lines: PHP prints them inside its fatal
// error, then the stack and "thrown in".
fwrite(STDERR, date('c') . " INFO validating order\n");
function validate(array $o): void {
    throw new DomainException("order is invalid:\n  qty: must be positive\n  sku: unknown");
}
validate(['qty' => 0]);
