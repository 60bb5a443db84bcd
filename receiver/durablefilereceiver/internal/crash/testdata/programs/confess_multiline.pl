# confess with a message of several lines: the lines, then the backtrace.
use strict;
use warnings;
use Carp;
$| = 1;
print scalar(gmtime()) . " INFO loading plugins\n";
sub load { confess "plugin '$_[0]' failed:\n  missing symbol init\n  missing symbol run\n" }
load('audit');
