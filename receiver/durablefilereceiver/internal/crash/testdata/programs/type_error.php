<?php
// An uncaught TypeError from a typed argument, inside a class: PHP's fatal error with the
// stack and "thrown in".
fwrite(STDERR, date('c') . " INFO importing invoices\n");
final class Importer {
    public function row(int $qty): int { return $qty * 2; }
    public function run(array $rows): void { foreach ($rows as $r) { $this->row($r); } }
}
(new Importer())->run([1, 'two']);
