# An exception in __del__ goes to sys.unraisablehook: "Exception ignored in: <...>".
import json

print(json.dumps({"level": "info", "msg": "opening pool"}), flush=True)


class Conn:
    def __del__(self):
        raise ConnectionResetError("connection reset while closing")


conn = Conn()
del conn
print(json.dumps({"level": "info", "msg": "pool closed"}), flush=True)
