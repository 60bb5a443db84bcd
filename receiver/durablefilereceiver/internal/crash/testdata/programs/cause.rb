# An uncaught error raised while handling another: Ruby prints both, the cause after the error.
$stdout.sync = true
$stderr.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  loading settings"
def parse = Integer('ten')
def load_settings
  parse
rescue ArgumentError
  raise 'settings are invalid'
end
load_settings
