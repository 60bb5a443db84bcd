use strict;
use warnings;
use Carp qw(cluck);
$| = 1;
# Carp's cluck: a warning with a backtrace, and the program goes on.
print "2026-12-03 10:00:00 INFO syncing users\n";
sub sync_user { my ($id) = @_; cluck "user $id has no email" unless $id > 10 }
sub sync_all { sync_user($_) for (3) }
sync_all();
print "2026-12-03 10:00:01 INFO synced users\n";
