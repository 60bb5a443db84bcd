# Logger#error with an exception, between ordinary lines.
require 'logger'
log = Logger.new($stdout)
log.info('charging card')
def charge(amount) = raise(ArgumentError, "amount must be positive, got #{amount}")
begin
  charge(-5)
rescue => e
  log.error(e)
end
log.info('next request')
