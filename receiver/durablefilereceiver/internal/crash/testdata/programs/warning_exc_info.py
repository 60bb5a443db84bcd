import logging
import sys

logging.basicConfig(stream=sys.stdout, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("cache")
log.info("refreshing cache")
try:
    open("/nonexistent/cache.json")
except OSError:
    log.warning("cache refresh failed; serving stale entries", exc_info=True)
log.info("next request")
