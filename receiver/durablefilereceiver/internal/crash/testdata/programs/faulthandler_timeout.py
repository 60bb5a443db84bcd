# faulthandler's watchdog: dump_traceback_later prints "Timeout (0:00:00.500000)!" and every
# thread's stack, most recent call first, after an ordinary line.
import faulthandler
import logging
import sys
import time
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("worker").info("waiting for the lock")
sys.stdout.flush()
faulthandler.dump_traceback_later(0.5, exit=True)
def wait_for_lock():
    time.sleep(5)
wait_for_lock()
