"""Lambda's Invoke API for the template's functions, locally: a function-to-function call declared
in template.yaml (boto3 `lambda.invoke`, pointed here by AWS_ENDPOINT_URL_LAMBDA) runs the target's
handler through the same Invoker, as Lambda would run it in its own container."""

from __future__ import annotations

import json
import threading
import traceback
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from infra.local.provision import Stack
from infra.local.runtime import Invoker, LambdaContext

PREFIX = "/2015-03-31/functions/"


class LambdaApi:
    def __init__(self, stack: Stack, invoker: Invoker) -> None:
        self.invoker = invoker
        # What a caller may name: the logical id, the physical name (Ref) or the ARN (GetAtt Arn).
        self.names: dict[str, str] = {}
        for name in stack.functions:
            self.names[name] = name
            self.names[stack.resolver.refs[name]] = name
            self.names[stack.resolver.attributes[name]["Arn"]] = name
        self._server: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        path = request.path
        if not (request.method == "POST" and path.startswith(PREFIX) and path.endswith("/invocations")):
            return Response("not found", status=404)(environ, start_response)
        target = self.names.get(path[len(PREFIX) : -len("/invocations")])
        if target is None:
            body = {"Type": "User", "message": "Function not found"}
            return Response(
                json.dumps(body), status=404, headers={"x-amzn-ErrorType": "ResourceNotFoundException"}
            )(environ, start_response)
        payload = json.loads(request.get_data() or b"null")
        try:
            if self.invoker.containers:  # the target's own container, as in Lambda
                result = self.invoker.invoke(target, payload)
            else:
                # Not under the Invoker's lock: the caller holds it while it waits for this answer (one
                # invocation at a time still holds, as the caller is blocked until this one returns).
                result = self.invoker.handler(target)(payload, LambdaContext(function_name=target))
            response = Response(json.dumps(result), status=200)
        except Exception as error:
            failure: dict[str, Any] = {  # a container's error carries the handler's own type and message
                "errorMessage": getattr(error, "error_message", None) or str(error),
                "errorType": getattr(error, "error_type", None) or type(error).__name__,
                "stackTrace": traceback.format_exc().splitlines(),
            }
            response = Response(
                json.dumps(failure), status=200, headers={"X-Amz-Function-Error": "Unhandled"}
            )
        return response(environ, start_response)

    def start(self) -> str:
        """Serves on an ephemeral loopback port; returns its URL."""
        self._server = make_server("127.0.0.1", 0, self, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="local-lambda-api", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
