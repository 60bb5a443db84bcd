# An uncaught KeyError whose message did_you_mean extends with a suggestion on its own line,
# then the backtrace, after an ordinary Logger line.
require "logger"
log = Logger.new($stdout)
log.info("reading settings")
$stdout.flush
settings = { name: "web", port: 8080 }
def fetch_setting(settings, key) = settings.fetch(key)
fetch_setting(settings, :nmae)
