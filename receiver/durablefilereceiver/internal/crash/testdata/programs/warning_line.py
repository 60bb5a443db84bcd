# A DeprecationWarning shown by the warnings module: the location and message, then the
# source line, between ordinary log lines.
import logging
import sys
import warnings
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("app")
def old_api():
    warnings.warn("old_api() is deprecated; use new_api()", DeprecationWarning, stacklevel=2)
log.info("starting")
sys.stdout.flush()
warnings.simplefilter("always")
old_api()
sys.stderr.flush()
log.info("started")
