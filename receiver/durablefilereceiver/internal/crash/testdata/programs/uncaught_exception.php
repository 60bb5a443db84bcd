<?php
// An uncaught exception: PHP logs "PHP Fatal error:  Uncaught ..." with a stack trace.
ini_set('display_errors', '0'); // production: errors go to the log (stderr), once
fwrite(STDOUT, date('c') . " INFO sending invoice\n");
class Mailer { function send($to) { throw new RuntimeException("SMTP 421 from $to"); } }
function notify() { (new Mailer())->send('mx.example.com'); }
notify();
