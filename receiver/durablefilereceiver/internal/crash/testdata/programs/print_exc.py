# An app with its own log format prints a failure, then the traceback with traceback.print_exc().
import sys
import time
import traceback
def log(level, msg):
    print(f"[{time.strftime('%Y-%m-%dT%H:%M:%S')}] {level:<5} worker | {msg}", flush=True)
log("INFO", "importing feed")
try:
    int("twelve")
except ValueError:
    log("ERROR", "feed row 3 is bad")
    traceback.print_exc(file=sys.stdout)
log("INFO", "importing next feed")
