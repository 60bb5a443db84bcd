# structlog's ConsoleRenderer logs an exception: the event line, then the traceback, between
# ordinary lines. Debian's python3-structlog (capture.sh runs /usr/bin/python3).
import structlog
structlog.configure(processors=[
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback),
])
log = structlog.get_logger()
log.info("charging", order=42)
try:
    {"amount": 10}["currency"]
except KeyError:
    log.exception("charge failed", order=42)
log.info("next order", order=43)
