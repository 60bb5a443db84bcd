puts "2026-11-25T10:00:00Z INFO worker started"
$stdout.flush

def fetch(id)
  raise KeyError, "order #{id} not found"
end

def process(id)
  fetch(id)
rescue KeyError => e
  raise ArgumentError, "cannot process order #{id}"
end

process(7)
