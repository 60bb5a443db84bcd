# An uncaught SystemStackError: Ruby prints the error and elides the repeated frames.
$stdout.sync = true
$stderr.sync = true
puts "#{Time.now.utc.strftime('%FT%T')} INFO  walking category tree"
def walk(node) = walk(node)
walk(:root)
