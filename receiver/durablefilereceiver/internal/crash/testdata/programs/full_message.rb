# A Rails-style logger line with the exception's full_message (message, class, backtrace).
require 'logger'
$stdout.sync = true
log = Logger.new($stdout)
log.info('GET /orders/7')
def find(id) = raise(KeyError, "order #{id} not found")
begin
  find(7)
rescue => e
  log.error(e.full_message(highlight: false))
end
log.info('GET /orders/8')
