# An uncaught NameError with did_you_mean's suggestion lines.
$stdout.sync = true
$stderr.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  rendering invoice"
invoice_total = 42
puts invoice_totl
