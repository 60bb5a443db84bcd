# An uncaught exception whose message has several lines: the lines after the first follow
# the exception line, unindented.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
class ValidationError(Exception):
    pass
logging.getLogger("forms").info("validating signup")
sys.stdout.flush()
raise ValidationError("2 fields are invalid:\nemail: not an address\nage: must be a number")
