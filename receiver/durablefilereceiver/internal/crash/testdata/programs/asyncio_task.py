# A task fails and nobody awaits it: asyncio logs "Task exception was never retrieved".
import asyncio
import gc
import json

print(json.dumps({"level": "info", "msg": "scheduler started"}), flush=True)


async def refresh_cache():
    raise TimeoutError("cache refresh timed out after 5s")


async def main():
    asyncio.ensure_future(refresh_cache())
    await asyncio.sleep(0.01)


asyncio.run(main())
gc.collect()
print(json.dumps({"level": "info", "msg": "scheduler stopped"}), flush=True)
