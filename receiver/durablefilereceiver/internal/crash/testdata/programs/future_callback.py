# A done-callback that raises: concurrent.futures logs "exception calling callback for
# <Future ...>" with the traceback, between ordinary lines.
import concurrent.futures
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("app").info("submitting resize job")
sys.stdout.flush()
def done(fut):
    size = fut.result()
    raise ValueError(f"unexpected size {size}")
with concurrent.futures.ThreadPoolExecutor() as pool:
    pool.submit(lambda: 0).add_done_callback(done)
logging.getLogger("app").info("resize job finished")
