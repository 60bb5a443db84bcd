# An exception kills a thread; Ruby reports it (report_on_exception) while the program goes on.
$stdout.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  worker pool started"
t = Thread.new { Integer('seven') }
begin
  t.join
rescue ArgumentError
end
puts "#{Time.now.utc.strftime('%FT%T')} INFO  worker pool restarted"
