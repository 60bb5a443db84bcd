# asyncio.TaskGroup with two failing tasks: an ExceptionGroup of both, uncaught, printed with
# its box of sub-tracebacks.
import asyncio
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
async def fetch(name):
    await asyncio.sleep(0.01)
    raise ConnectionError(f"{name}: connection reset")
async def main():
    logging.getLogger("sync").info("fetching 2 feeds")
    sys.stdout.flush()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch("feed-a"))
        tg.create_task(fetch("feed-b"))
asyncio.run(main())
