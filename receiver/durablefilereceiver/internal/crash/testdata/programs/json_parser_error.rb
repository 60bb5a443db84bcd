# An uncaught JSON::ParserError: the parser's message quotes the bad input.
require 'json'
$stdout.sync = true
$stderr.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  reading config"
JSON.parse('{"port": 80,,}')
