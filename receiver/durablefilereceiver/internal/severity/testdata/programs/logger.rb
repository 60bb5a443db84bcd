# Logs the severity script with Ruby's standard Logger and writes one expected SeverityText
# per output line to ARGV[0] ("-": no level).
require 'logger'
log = Logger.new($stdout)
log.level = Logger::DEBUG
script = [
  [:debug, 'DEBUG', 'cache warmed in 12 ms'],
  [:info, 'INFO', 'GET /api/orders 200 in 3 ms'],
  [:info, 'INFO', 'retrying after error: connection reset by peer'],
  [:warn, 'WARN', 'disk usage at 91%'],
  [:error, 'ERROR', 'payment failed: card declined'],
  [:info, 'INFO', 'ERROR budget: 0 of 5 used'],
  [:fatal, 'FATAL', 'cannot open the database'],
]
File.open(ARGV[0], 'w') do |labels|
  script.each do |level, text, msg|
    log.send(level, msg)
    labels.puts text
  end
  $stdout.flush
  puts 'plain line without a level'
  labels.puts '-'
end
