# A ResourceWarning with tracemalloc on: Python prints the warning and "Object allocated at
# (most recent call last):" with the allocation's frames, between ordinary lines.
import gc
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("export")
def open_report():
    return open(__file__)
def export():
    f = open_report()
    f.readline()
log.info("exporting")
sys.stdout.flush()
export()
gc.collect()
sys.stderr.flush()
log.info("export done")
