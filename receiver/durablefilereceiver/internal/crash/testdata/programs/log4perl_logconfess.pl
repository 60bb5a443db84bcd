# Log::Log4perl's logconfess: the logger logs the message at FATAL with a full stack trace,
# then dies, between an ordinary line and the die.
use strict;
use warnings;
use Log::Log4perl qw(get_logger);
Log::Log4perl->init(\ q{
    log4perl.rootLogger = INFO, Screen
    log4perl.appender.Screen = Log::Log4perl::Appender::Screen
    log4perl.appender.Screen.stderr = 0
    log4perl.appender.Screen.layout = PatternLayout
    log4perl.appender.Screen.layout.ConversionPattern = %d %p %c - %m%n
});
my $log = get_logger("Ledger");
sub post_entry { my ($amount) = @_; $log->logconfess("amount must be positive, got $amount") if $amount <= 0; }
sub import_batch { post_entry(-5); }
$log->info("importing batch 12");
eval { import_batch(); 1 } or $log->info("batch 12 skipped");
