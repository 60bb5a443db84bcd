# asyncio's "Task was destroyed but it is pending!" with its task line, when the loop closes
# under a pending task, between ordinary lines.
import asyncio
import gc
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("loop")
async def forever():
    await asyncio.sleep(3600)
log.info("starting heartbeat")
sys.stdout.flush()
loop = asyncio.new_event_loop()
task = loop.create_task(forever())
loop.run_until_complete(asyncio.sleep(0.01))
loop.close()
del task
gc.collect()
sys.stderr.flush()
log.info("loop closed")
