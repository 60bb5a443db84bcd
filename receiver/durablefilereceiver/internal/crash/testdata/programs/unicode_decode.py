# An uncaught UnicodeDecodeError: a long one-line message naming the codec and the byte.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("import").info("reading upload")
sys.stdout.flush()
b"name,price\n\xff\xfeabc".decode("utf-8")
