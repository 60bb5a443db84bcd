# An ExceptionGroup inside an ExceptionGroup, uncaught: the nested boxes of sub-tracebacks.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("batch").info("validating 3 rows")
sys.stdout.flush()
inner = ExceptionGroup("row 2", [ValueError("qty"), KeyError("sku")])
raise ExceptionGroup("batch failed", [inner, TypeError("row 3: price")])
