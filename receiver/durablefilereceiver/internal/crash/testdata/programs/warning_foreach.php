<?php
// A PHP warning, one line, and the script goes on.
fwrite(STDERR, date('c') . " INFO listing items\n");
$items = null;
foreach ($items as $i) { echo $i; }
fwrite(STDERR, date('c') . " INFO listed 0 items\n");
