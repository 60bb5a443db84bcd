# A unittest run with a failing test, as a CI job's log shows it: the runner's report with
# separator lines, the traceback and the summary.
import logging
import sys
import unittest
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
class Price(unittest.TestCase):
    def test_total(self):
        self.assertEqual(sum([1, 2]), 4)
logging.getLogger("ci").info("running unit tests")
sys.stdout.flush()
unittest.main(argv=["x"], exit=False)
sys.stderr.flush()
logging.getLogger("ci").info("tests finished")
