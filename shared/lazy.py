"""Deferred imports for Lambda cold starts: `lazy_module(name)` returns the module object at once and
runs it on first attribute access (importlib's LazyLoader). Use it for a heavy module a handler needs
only when it serves a request (e.g. a pynamodb store: pynamodb pulls in most of botocore).

    if TYPE_CHECKING:
        from services.invoices import store
    else:
        store = lazy_module("services.invoices.store")
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
