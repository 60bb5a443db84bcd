# An error logged with a message of several lines (no exception): the details follow the
# record's first line, indented, as apps print validation failures.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("config")
log.info("validating settings")
log.error("settings are invalid:\n  - port: must be a number\n  - timeout: must be positive")
log.info("falling back to defaults")
