# full_message with order: :bottom, logged: the frames first, numbered, the message last.
$stdout.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  computing totals"
def total(items) = items.sum { |i| i.fetch(:price) }
begin
  total([{ price: 1 }, {}])
rescue => e
  puts e.full_message(highlight: false, order: :bottom)
end
puts "#{Time.now.utc.strftime('%FT%T')} INFO  totals skipped"
