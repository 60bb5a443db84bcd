<?php
// An uncaught exception with a previous one: PHP logs both, the second after "Next".
ini_set('display_errors', '0');
fwrite(STDOUT, date('c') . " INFO charging order 7\n");
function gateway() { throw new InvalidArgumentException('card expired'); }
function charge() { try { gateway(); } catch (Exception $e) { throw new RuntimeException('charge failed', 0, $e); } }
charge();
