# An uncaught NoMethodError, which Ruby prints with error_highlight's snippet.
$stdout.sync = true
puts 'I, [2026-12-03T10:00:00.000000 #1]  INFO -- : loading order'
order = nil
def total(order) = order.items.sum
total(order)
