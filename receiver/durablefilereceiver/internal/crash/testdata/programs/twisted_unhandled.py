# Twisted's "Unhandled error in Deferred:" when a Deferred that failed is garbage collected:
# the header, then the Failure's traceback, after an ordinary line. Debian's python3-twisted
# (capture.sh runs /usr/bin/python3).
import gc
import sys
from twisted.internet import defer
from twisted.logger import globalLogBeginner, textFileLogObserver
globalLogBeginner.beginLoggingTo([textFileLogObserver(sys.stdout)], redirectStandardIO=False)
print("2026-12-03T10:00:00+0000 [app#info] fetching quotes", flush=True)
def parse(body):
    return int(body)
d = defer.succeed("n/a")
d.addCallback(parse)
del d
gc.collect()
