# An uncaught exception with notes (PEP 678): the notes follow the exception line.
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("import").info("importing users.csv")
def row(n):
    e = ValueError(f"bad email in row {n}")
    e.add_note("file: users.csv")
    e.add_note("hint: emails must contain '@'")
    raise e
row(7)
