"""Lambda's concurrency, locally: each function gets a small pool of "containers", separate processes
that each serve one invocation at a time, with their own module state and their own cold start.
Concurrent requests run concurrently (as in AWS), so a race between two containers shows locally.

Containers start on first use and the pool grows on demand up to its size; a request finding every
container busy waits for one. They are forked from a fork server (not from this process, which runs
moto's server threads) that has imported the libraries every function uses, so a container's cold
start is its own service's modules, not boto3's and pydantic's again (1-3 s each on two busy cores).
Each call hands the parent's current environment over, so a variable changed after start (PORTAL_URL,
a test's setting) reaches the containers as it reaches the in-process handlers."""

from __future__ import annotations

import contextlib
import importlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import traceback
from typing import Any

DEFAULT_SIZE = 4  # per function: 2 cores locally, and a burst of 30 requests still interleaves
# Libraries only: a service's own modules read the function's settings at import, in its container.
PRELOAD = ["boto3", "botocore.client", "pynamodb.models", "pydantic", "chalice.app", "aws_lambda_powertools"]
_processes = multiprocessing.get_context("forkserver")
_processes.set_forkserver_preload(PRELOAD)


class FunctionError(RuntimeError):
    """The handler raised in its container. As Lambda's invocation error, it carries the exception's
    `error_type` and `error_message` (errorType/errorMessage), so a caller can tell an authorizer's
    `Unauthorized` (401 at API Gateway) from a crash; str() keeps the traceback for the logs."""

    def __init__(self, text: str, error_type: str = "", error_message: str = "") -> None:
        super().__init__(text)
        self.error_type, self.error_message = error_type, error_message


def _failure(error: BaseException) -> str:
    """Lambda's function-error payload, as JSON (what `invoke` answers with X-Amz-Function-Error)."""
    return json.dumps(
        {"errorType": type(error).__name__, "errorMessage": str(error), "stackTrace": traceback.format_exc()}
    )


def _serve(
    connection: multiprocessing.connection.Connection,
    function: str,
    handler_path: str,
    environment: dict[str, str],
) -> None:
    """A container: Lambda's init phase (import the handler: the services read their settings at
    import) as soon as it starts, then one invocation at a time until the parent closes the pipe."""
    from infra.local.runtime import LambdaContext, drop_unflushed_metrics

    # Ctrl-C reaches the whole process group: the portal stops its containers itself (closes the pipe).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _adopt(environment)
    module_name, _, attribute = handler_path.rpartition(".")
    handler, init_error = None, ""
    try:
        handler = getattr(importlib.import_module(module_name), attribute)
    except Exception as error:
        init_error = _failure(error)
    connection.send(("ready", ""))  # the init phase is over: warm from here on
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        environment, event = message
        if environment != dict(os.environ):
            # A changed configuration is a new deployment in Lambda (new containers): read it again.
            _adopt(environment)
            settings = sys.modules.get("shared.settings")
            if settings is not None:
                settings.forget()
        reply: tuple[str, str] = ("error", init_error)
        try:
            if handler is not None:
                result = handler(json.loads(event), LambdaContext(function_name=function))
                reply = ("ok", json.dumps(result))
        except Exception as error:
            reply = ("error", _failure(error))
        finally:
            drop_unflushed_metrics()
        connection.send(reply)


def _adopt(environment: dict[str, str]) -> None:
    for name in set(os.environ) - set(environment):
        del os.environ[name]
    os.environ.update(environment)


class Container:
    def __init__(self, function: str, handler_path: str) -> None:
        self.connection, theirs = _processes.Pipe()
        self.process = _processes.Process(
            # str(): names read from template.yaml are cfn-lint's str subclasses, which do not pickle
            target=_serve,
            args=(theirs, str(function), str(handler_path), dict(os.environ)),
            name=f"lambda:{function}",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.initialised = False

    def wait_initialised(self) -> None:
        if not self.initialised:
            self.connection.recv()  # ("ready", ""): its imports are done
            self.initialised = True

    def invoke(self, event: Any) -> tuple[str, str]:
        self.wait_initialised()
        # JSON both ways, as Lambda's invoke API does (a handler gets plain dicts and lists, whatever
        # str subclasses the caller built its event from).
        self.connection.send((dict(os.environ), json.dumps(event)))
        return tuple(self.connection.recv())  # type: ignore[return-value]

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()


class ContainerPool:
    def __init__(self, function: str, handler_path: str, size: int = DEFAULT_SIZE) -> None:
        self.function, self.handler_path, self.size = function, handler_path, size
        self._idle: list[Container] = []
        self._all: list[Container] = []
        self._starting = 0
        self._changed = threading.Condition()
        self.started = 0  # containers started so far (cold starts)

    def _acquire(self) -> Container:
        with self._changed:
            while not self._idle and len(self._all) + self._starting >= self.size:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._starting += 1
        try:  # started outside the lock: a cold start does not hold up warm containers
            container = Container(self.function, self.handler_path)
        except BaseException:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._starting -= 1
            self._all.append(container)
            self.started += 1
        return container

    def _release(self, container: Container, healthy: bool) -> None:
        with self._changed:
            if healthy:
                self._idle.append(container)
            else:
                self._all.remove(container)
            self._changed.notify()
        if not healthy:
            container.stop()

    def prestart(self) -> None:
        """One container started and through its init phase (Lambda's provisioned concurrency)."""
        container = self._acquire()
        healthy = False
        try:
            container.wait_initialised()
            healthy = True
        except (EOFError, OSError):
            pass
        finally:
            self._release(container, healthy)

    def pids(self) -> list[int | None]:
        with self._changed:
            return [container.process.pid for container in self._all if container.process.is_alive()]

    def invoke(self, event: Any) -> Any:
        container = self._acquire()
        healthy = False
        try:
            status, value = container.invoke(event)
            healthy = True
        except (EOFError, OSError) as error:  # the process died: Lambda would start a new container
            raise FunctionError(f"{self.function}: the container exited ({error!r})") from None
        finally:
            self._release(container, healthy)
        if status == "error":
            failure = json.loads(value)
            trace, error_type, message = failure["stackTrace"], failure["errorType"], failure["errorMessage"]
            raise FunctionError(f"{self.function} failed:\n{trace}", error_type, message)
        return json.loads(value)

    def stop(self) -> None:
        with self._changed:
            containers, self._all, self._idle = list(self._all), [], []
        for container in containers:
            container.stop()
