# An uncaught NoMethodError on nil, with its frames and the did_you_mean and
# error_highlight parts Ruby adds, then a line the app prints from an at_exit hook.
$stdout.sync = true
$stderr.sync = true
at_exit { puts "#{Time.now.utc.strftime('%FT%T')} INFO  shutting down" }
puts "#{Time.now.utc.strftime('%FT%T')} INFO  loading user"
users = { 'ada' => { name: 'Ada' } }
def greet(user) = "hello #{user[:name].upcase}"
puts greet(users['bob'] || {})
