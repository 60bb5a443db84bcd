# loguru's logger.exception with backtrace and diagnose on: the message line, then the
# traceback with "> File" at the frame that raised and each variable's value under it.
# Debian's python3-loguru (capture.sh runs /usr/bin/python3).
import sys
from loguru import logger
logger.remove()
logger.add(sys.stdout, format="{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}",
           colorize=False, backtrace=True, diagnose=True)
def ratio(hits, total):
    return hits / total
logger.info("computing hit ratio")
try:
    ratio(3, 0)
except ZeroDivisionError:
    logger.exception("ratio failed")
logger.info("serving stale ratio")
