# traceback.print_stack() to stderr from a slow path, as apps do to find who calls them; the
# service goes on.
import logging
import sys
import traceback
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("db")
def query():
    sys.stdout.flush()
    print("slow query, called from:", file=sys.stderr)
    traceback.print_stack(file=sys.stderr)
    sys.stderr.flush()
def handler():
    query()
log.info("request started")
handler()
log.info("request finished in 2310 ms")
