<?php
// A call to a function that does not exist: PHP's uncaught Error.
fwrite(STDERR, date('c') . " INFO sending receipt\n");
function send(string $to): void { mail_queue_push($to); }
send('ada@example.com');
