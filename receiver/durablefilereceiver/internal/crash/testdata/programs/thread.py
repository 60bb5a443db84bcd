# A worker thread dies of an exception; threading prints a header line before the traceback.
import json
import threading

print(json.dumps({"level": "info", "msg": "worker pool started"}), flush=True)


def sync_orders():
    orders = {"a": 1}
    return orders["b"]


worker = threading.Thread(target=sync_orders)  # "Exception in thread Thread-1 (sync_orders):"
worker.start()
worker.join()
named = threading.Thread(target=sync_orders, name="order-sync")  # "Exception in thread order-sync:"
named.start()
named.join()
print(json.dumps({"level": "info", "msg": "worker pool stopped"}), flush=True)
