import logging
import sys

logging.basicConfig(stream=sys.stdout, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("payments")
log.setLevel(logging.INFO)

log.info("charging card")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("charge failed")
log.info("next request")
