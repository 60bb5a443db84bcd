# A traceback put into a log message by hand (logger.error(f"...: {traceback.format_exc()}")):
# the logger's line ends with the traceback's first line.
import logging
import sys
import traceback
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("jobs")
log.info("running job 7")
try:
    1 / 0
except ZeroDivisionError:
    log.error(f"job 7 failed: {traceback.format_exc()}")
log.info("job 8 queued")
