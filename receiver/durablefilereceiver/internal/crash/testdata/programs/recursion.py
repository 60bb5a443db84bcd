# A RecursionError: the traceback folds repeated frames into "[Previous line repeated N more times]".
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("tree").info("walking category tree")
def depth(node):
    return 1 + depth(node)
depth({})
