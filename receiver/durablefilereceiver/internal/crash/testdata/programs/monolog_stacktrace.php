<?php
// Monolog's LineFormatter with includeStacktraces: a logged exception's context carries its
// trace on the lines after the record, between ordinary records.
require '/usr/share/php/Monolog/autoload.php';
use Monolog\Formatter\LineFormatter;
use Monolog\Handler\StreamHandler;
use Monolog\Logger;
$handler = new StreamHandler('php://stdout');
$formatter = new LineFormatter(null, 'Y-m-d\TH:i:sP', true, true);
$formatter->includeStacktraces(true);
$handler->setFormatter($formatter);
$log = new Logger('billing', [$handler]);
function invoice(int $id) {
    throw new RuntimeException("invoice $id not found");
}
$log->info('sending invoices');
try {
    invoice(7);
} catch (RuntimeException $e) {
    $log->error('invoice failed', ['exception' => $e]);
}
$log->info('invoices sent: 0');
