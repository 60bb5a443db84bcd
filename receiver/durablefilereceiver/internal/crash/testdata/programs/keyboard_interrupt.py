# SIGINT while the main loop sleeps: Python prints the KeyboardInterrupt traceback.
import logging
import os
import signal
import sys
import threading
import time
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("worker").info("polling queue")
sys.stdout.flush()
threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
while True:
    time.sleep(1)
