import ctypes
import faulthandler
import sys

faulthandler.enable()
print("2026-12-03 10:00:00,000 INFO worker: loading native codec", flush=True)
ctypes.string_at(0)
