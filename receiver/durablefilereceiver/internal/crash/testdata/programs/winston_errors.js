// winston with format.errors({ stack: true }) and a printf format: a logged Error's stack
// replaces its message, so the record spans lines, between ordinary lines.
const { createLogger, format, transports } = require("winston");
const log = createLogger({
  format: format.combine(format.errors({ stack: true }), format.timestamp(),
    format.printf(({ timestamp, level, message, stack }) => `${timestamp} ${level}: ${stack || message}`)),
  transports: [new transports.Console()],
});
function connect(url) {
  throw new Error(`connect ECONNREFUSED ${url}`);
}
log.info("connecting to cache");
try {
  connect("10.0.3.17:6379");
} catch (err) {
  log.error(err);
}
log.info("continuing without cache");
