# rich's logging handler with rich_tracebacks: a logged exception is drawn in a box of
# box-drawing characters, frames with their source, between ordinary records. Debian's
# python3-rich (capture.sh runs /usr/bin/python3).
import logging
from rich.console import Console
from rich.logging import RichHandler
console = Console(width=100, force_terminal=False, color_system=None, log_time_format="[%Y-%m-%d %H:%M:%S]")
logging.basicConfig(level=logging.INFO, format="%(message)s", handlers=[RichHandler(console=console, rich_tracebacks=True, show_path=False)])
log = logging.getLogger("billing")
def total(items):
    return sum(i["price"] for i in items)
log.info("computing totals")
try:
    total([{"price": 3}, {"cost": 4}])
except KeyError:
    log.exception("total failed")
log.info("totals done")
