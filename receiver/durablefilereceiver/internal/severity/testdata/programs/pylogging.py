# Logs the severity script through Python's logging module, in the format named by argv[1];
# writes one expected SeverityText per output line to argv[2] ("-": no level).
import json
import logging
import sys

fmt, labels_path = sys.argv[1], sys.argv[2]
script = [
    (logging.DEBUG, "DEBUG", "cache warmed in 12 ms"),
    (logging.INFO, "INFO", "GET /api/orders 200 in 3 ms"),
    (logging.INFO, "INFO", "retrying after error: connection reset by peer"),
    (logging.WARNING, "WARN", "disk usage at 91%"),
    (logging.ERROR, "ERROR", "payment failed: card declined"),
    (logging.INFO, "INFO", "ERROR budget: 0 of 5 used"),
    (logging.CRITICAL, "FATAL", "cannot open the database"),
]


class JSONFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps({"time": self.formatTime(record), "levelname": record.levelname,
                           "logger": record.name, "message": record.getMessage()})


handler = logging.StreamHandler(sys.stdout)
if fmt == "basic":
    handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
elif fmt == "bracketed":
    handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
elif fmt == "json":
    handler.setFormatter(JSONFormatter())
log = logging.getLogger("orders")
log.addHandler(handler)
log.setLevel(logging.DEBUG)
with open(labels_path, "w") as labels:
    for level, text, msg in script:
        log.log(level, msg)
        labels.write(text + "\n")
    sys.stdout.flush()
    print("plain line without a level", flush=True)
    labels.write("-\n")
