"""Blocking work (database, argon2, HTTP) off the web side's event loop, which keeps serving meanwhile."""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable


async def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))
