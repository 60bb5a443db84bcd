# A confess caught by eval, then warned: the message and the backtrace, via warn.
use strict;
use warnings;
use Carp;
$| = 1;
print scalar(gmtime()) . " INFO syncing accounts\n";
sub fetch_account { confess "account $_[0] not found" }
sub sync { fetch_account(7) }
eval { sync(); 1 } or warn "sync failed: $@";
print scalar(gmtime()) . " INFO sync done\n";
