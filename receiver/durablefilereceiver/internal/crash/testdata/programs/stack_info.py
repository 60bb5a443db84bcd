# logging with stack_info=True: "Stack (most recent call last):" and the frames after the message.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("billing")
log.info("closing period")
def close_period():
    log.warning("period closed twice", stack_info=True)
close_period()
log.info("period closed")
