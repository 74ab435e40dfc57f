"""pyHanko's synchronous API calls ``asyncio.run``, which refuses to start inside a thread whose
event loop is already running (an ASGI worker's, or Playwright's sync API in the browser tests).
There the call is made in a short-lived worker thread instead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(func: Callable[..., T], /, *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="signing") as pool:
        return pool.submit(func, *args, **kwargs).result()
