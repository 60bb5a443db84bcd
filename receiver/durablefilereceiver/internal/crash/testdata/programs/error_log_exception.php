<?php
// An exception logged with error_log((string) $e): its message, "Stack trace:" and the #N
// frames, with error_log's timestamp prefix on the first line only, between ordinary lines.
ini_set('error_log', 'php://stdout');
ini_set('date.timezone', 'UTC');
function charge(array $order) {
    if (!isset($order['card'])) {
        throw new InvalidArgumentException("order {$order['id']} has no card");
    }
}
error_log("charging order 42");
try {
    charge(['id' => 42]);
} catch (Exception $e) {
    error_log((string) $e);
}
error_log("moving on to order 43");
