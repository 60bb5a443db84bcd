# Carp's croak with $Carp::Verbose: a full backtrace, as confess prints, from a module's
# argument check.
use strict;
use warnings;
use Carp;
$| = 1;
$Carp::Verbose = 1;
print scalar(gmtime()) . " INFO importing orders\n";
sub parse_qty { my ($q) = @_; croak "quantity '$q' is not a number" unless $q =~ /^\d+$/; $q }
sub import_row { parse_qty($_[0]->{qty}) }
import_row({ qty => 'ten' });
