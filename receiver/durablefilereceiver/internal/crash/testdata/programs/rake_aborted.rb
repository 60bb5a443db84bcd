# A rake task that raises: rake prints "rake aborted!", the error, the backtrace, the task
# chain and a hint, after an ordinary line.
require "rake"
include Rake::DSL
task :migrate do
  puts "#{Time.at(1764756000).utc.strftime('%Y-%m-%dT%H:%M:%SZ')} INFO migrating 3 tables"
  $stdout.flush
  raise ArgumentError, "unknown column type: jsonb"
end
task default: :migrate
Rake.application.standard_exception_handling { Rake::Task[:default].invoke }
