use strict;
use warnings;
use Carp qw(confess);
$| = 1;
# Carp's confess: the message and a backtrace, as a die that nothing caught.
print "2026-12-03 10:00:00 INFO charging card\n";
sub charge { my ($amount) = @_; confess "amount must be positive, got $amount" if $amount < 0 }
sub handle { charge(-5) }
handle();
