import logging
import sys

# A logged exception, then an uncaught one right after it: two crashes, two records.
logging.basicConfig(stream=sys.stdout, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("config")

try:
    {}["missing"]
except KeyError:
    log.exception("lookup failed")
sys.stdout.flush()
raise ValueError("bad config")
