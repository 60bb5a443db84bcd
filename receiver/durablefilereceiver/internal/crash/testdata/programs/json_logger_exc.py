# A JSON formatter that puts the traceback inside the record, as python-json-logger does:
# each record stays one line, an exception's lines escaped in its "exc_info" field.
import json
import logging
import sys
class JSONFormatter(logging.Formatter):
    def format(self, record):
        out = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(JSONFormatter())
log = logging.getLogger("api")
log.addHandler(h)
log.setLevel(logging.INFO)
log.info("request received")
try:
    {}["user"]
except KeyError:
    log.exception("lookup failed")
log.info("request done")
