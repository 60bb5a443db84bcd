# A Rails-style rescue that logs the message and the backtrace joined by newlines: the frames
# start at column 0, without Ruby's tab and "from".
require 'logger'
$stdout.sync = true
log = Logger.new($stdout)
log.info('charging order 42')
def charge(amount) = raise(ArgumentError, "amount must be positive, got #{amount}")
begin
  charge(-5)
rescue => e
  log.error("#{e.class}: #{e.message}\n#{e.backtrace.join("\n")}")
end
log.info('order 42 failed')
