import sys

print("2026-12-03 10:00:00,000 INFO orders: validating batch", flush=True)
raise ExceptionGroup("batch failed", [ValueError("order 7: bad amount"), KeyError("order 9")])
