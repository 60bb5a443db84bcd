# A multiprocessing child that raises: the child prints "Process Process-1:" and its
# traceback, between the parent's ordinary lines.
import logging
import multiprocessing
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(processName)s: %(message)s")
def work(n):
    return {"a": 1}[n]
if __name__ == "__main__":
    logging.info("starting 1 worker")
    sys.stdout.flush()
    p = multiprocessing.Process(target=work, args=("b",))
    p.start()
    p.join()
    logging.info("worker exited with %d", p.exitcode)
