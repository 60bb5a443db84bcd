# An exception raised in a process pool's worker and re-raised in the parent: Python prints
# the worker's traceback as a quoted _RemoteTraceback, then the parent's.
import concurrent.futures
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
def resize(path):
    raise OSError(f"cannot identify image file {path!r}")
if __name__ == "__main__":
    logging.getLogger("thumbs").info("resizing 1 image")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        pool.submit(resize, "/data/in/cat.heic").result()
