<?php
// A warning, then debug_print_backtrace(), then the app goes on.
fwrite(STDOUT, date('c') . " INFO resizing image\n");
function resize($w) { if ($w <= 0) { fwrite(STDOUT, date('c') . " ERROR width must be positive\n"); debug_print_backtrace(); } }
function handle() { resize(0); }
handle();
fwrite(STDOUT, date('c') . " INFO resized next image\n");
