"""A fault-injecting HTTP proxy between airbyte-plink and the emulator: the network and
the AWS front end as they are on a bad day.

Every request is forwarded to the emulator unless a fault is drawn for it. Configure it
with POST /_proxy/faults and a JSON object (every key optional):

    latency_ms            added before every request is answered (default 0)
    wait_latency_ms       added instead to a look at a load balancer's state once a
                          change has been made (DescribeLoadBalancers after the first
                          mutating call: a wait's poll); default latency_ms. The
                          benchmark sets 0: how long AWS takes to get ready is AWS's
                          time, and the change after a wait then shows whether it
                          waited for anything else
    fault_rate            probability that a request gets a transient fault (default 0)
    faults                the kinds drawn from (default: all of them):
                            throttle      EC2 RequestLimitExceeded (503), others Throttling (400)
                            server_error  500 InternalError
                            unavailable   503 ServiceUnavailable
                            reset         the connection is dropped before forwarding
                            lost_answer   forwarded (so it takes effect), then the
                                          connection is dropped: the answer is lost
    cut_after_mutations   N: the N-th mutating call is forwarded and its answer lost,
                          and from then on every connection is dropped, as when a
                          laptop loses its network mid-setup
    lose_first_answers    true: every distinct mutating request is carried out but its
                          answer lost the first time, so the SDK sends it again: each
                          call must be safe to repeat
    seed                  for the random draws (default 0), so a run can be repeated

GET /_proxy/faults returns what happened: {"requests", "mutations", "injected":
{kind: count}, "cut", "mutation_times": [Unix time each mutating call arrived],
"timeline": [{"action", "arrived", "answered" (Unix times), "status" (0: no answer),
"forwarded" ([Unix times the emulator got and answered it], or null)} for every request]}; DELETE /_proxy/faults restores plain forwarding and zeroes it.
"""

import http.client
import json
import random
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

KINDS = ("throttle", "server_error", "unavailable", "reset", "lost_answer")
READS = ("Describe", "Get", "List")

EC2_ERROR = "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>" \
            "<RequestID>fault</RequestID></Response>"
QUERY_ERROR = "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>" \
              "<RequestId>fault</RequestId></ErrorResponse>"


# The services that answer in JSON rather than XML: EventBridge and CloudWatch Logs
# (awsJson1_1) and Lambda (restJson1).
JSON_SERVICES = ("events", "logs", "lambda")


def error_content_type(service):
    return "application/x-amz-json-1.1" if service in JSON_SERVICES else "text/xml"


def error_answer(kind, service):
    """The status and body AWS sends for a fault of this kind, in the service's shape."""
    ec2 = service == "ec2"
    if service in JSON_SERVICES:
        code, status = {
            "throttle": ("TooManyRequestsException" if service == "lambda" else "ThrottlingException",
                         429 if service == "lambda" else 400),
            "server_error": ("ServiceException" if service == "lambda" else "InternalFailure", 500),
        }.get(kind, ("ServiceUnavailableException" if service != "lambda" else "ServiceException", 503))
        return status, json.dumps({"__type": code, "message": "Rate exceeded" if kind == "throttle" else code})
    if kind == "throttle":
        if ec2:
            return 503, EC2_ERROR.format(code="RequestLimitExceeded", message="Request limit exceeded.")
        return 400, QUERY_ERROR.format(kind="Sender", code="Throttling", message="Rate exceeded")
    if kind == "server_error":
        code = "InternalError" if ec2 else "InternalFailure"
        message = "An internal error has occurred"
        status = 500
    else:
        code = "Unavailable" if ec2 else "ServiceUnavailable"
        message = "The service is unavailable. Please try again shortly."
        status = 503
    body = EC2_ERROR if ec2 else QUERY_ERROR
    return status, body.format(kind="Receiver", code=code, message=message)


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.configure({})

    def configure(self, config):
        with self.lock:
            self.latency = config.get("latency_ms", 0) / 1000.0
            self.wait_latency = config.get("wait_latency_ms", config.get("latency_ms", 0)) / 1000.0
            self.rate = config.get("fault_rate", 0.0)
            self.kinds = config.get("faults") or list(KINDS)
            self.cut_after = config.get("cut_after_mutations")
            self.lose_first = config.get("lose_first_answers", False)
            self.answered = set()
            self.random = random.Random(config.get("seed", 0))
            self.requests = 0
            self.mutations = 0
            self.injected = {}
            self.cut = False
            self.mutation_times = []
            self.timeline = []

    def stats(self):
        with self.lock:
            return {"requests": self.requests, "mutations": self.mutations, "injected": dict(self.injected),
                    "cut": self.cut, "mutation_times": list(self.mutation_times), "timeline": list(self.timeline)}

    def record(self, action, arrived, answered, status, forwarded):
        with self.lock:
            self.timeline.append({"action": action, "arrived": arrived, "answered": answered, "status": status,
                                  "forwarded": forwarded})

    def latency_for(self, action):
        """The latency added to a request: a wait's poll gets its own."""
        with self.lock:
            polling = action == "DescribeLoadBalancers" and self.mutations > 0
            return self.wait_latency if polling else self.latency

    def decide(self, action, body):
        """What happens to this request: None (forward), or a fault kind, or "cut"."""
        with self.lock:
            self.requests += 1
            if self.cut:
                return "cut"
            mutating = bool(action) and not action.startswith(READS)
            if mutating:
                self.mutations += 1
                self.mutation_times.append(time.time())
                if self.cut_after is not None and self.mutations >= self.cut_after:
                    self.cut = True
                    return "lost_answer"
                if self.lose_first and body not in self.answered:
                    self.answered.add(body)
                    self.injected["lost_answer"] = self.injected.get("lost_answer", 0) + 1
                    return "lost_answer"
            if self.rate and self.random.random() < self.rate:
                kind = self.random.choice(self.kinds)
                self.injected[kind] = self.injected.get(kind, 0) + 1
                return kind
            return None


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The latency is the one configured, not the 40 ms of Nagle's algorithm meeting a
    # delayed ACK when headers and body leave in separate writes.
    disable_nagle_algorithm = True
    upstream = None  # (host, port)
    faults = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/_proxy/faults"):
            return self.control(body)
        action, service = self.describe(body)
        arrived, self.status, self.forwarded = time.time(), 0, None
        try:
            self.carry(action, service, body)
        finally:
            self.faults.record(action, arrived, time.time(), self.status, self.forwarded)

    def carry(self, action, service, body):
        """Forwards the request or injects its fault, noting the status answered (0 for
        none) and when the emulator had it."""
        latency = self.faults.latency_for(action)
        fate = self.faults.decide(action, body)
        time.sleep(latency)
        if fate in ("cut", "reset"):
            return self.drop()
        if fate in ("throttle", "server_error", "unavailable"):
            self.status, text = error_answer(fate, service)
            return self.answer(self.status, text.encode(), error_content_type(service))
        started = time.time()
        status, headers, answer = self.forward(body)
        self.forwarded = [started, time.time()]
        if fate == "lost_answer":
            return self.drop()
        self.status = status
        self.send_response_only(status)
        for name, value in headers:
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def describe(self, body):
        auth = self.headers.get("Authorization", "")
        service = ""
        if "Credential=" in auth:
            scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
            service = scope[3] if len(scope) > 3 else ""
        params = parse_qs(body.decode("utf-8", "replace")) if body else {}
        action = (params.get("Action") or [self.headers.get("X-Amz-Target", "")])[0]
        return action_name(action, service, self.command, self.path.split("?", 1)[0]), service

    def forward(self, body):
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def answer(self, status, body, content_type):
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drop(self):
        """Closes the connection with a reset and no answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def control(self, body):
        if self.command == "POST":
            self.faults.configure(json.loads(body or b"{}"))
        elif self.command == "DELETE":
            self.faults.configure({})
        self.answer(200, json.dumps(self.faults.stats()).encode(), "application/json")


class QuietServer(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops the connections a client opens at once
    # for concurrent calls; they would wait for a connection to be free, as AWS never
    # makes anyone wait.
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # a dropped connection is the point, not a problem


def start(upstream_port, host="127.0.0.1"):
    """Starts the proxy in front of the emulator on `upstream_port`; returns its URL."""
    handler = type("Handler", (ProxyHandler,), {"upstream": (host, upstream_port), "faults": Faults()})
    server = QuietServer((host, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{host}:{server.server_port}"


def action_name(action, service, method, path):
    """The API action a request is: a Query API's `Action`, a JSON API's target without its
    version prefix (`AWSEvents.PutRule`), or for Lambda's REST API, its method and path."""
    action = action.rsplit(".", 1)[-1]
    if not action and service == "lambda":
        action = lambda_action(method, path)
    return action


def lambda_action(method, path):
    """The Lambda API action a REST request is (Lambda API reference, each action's
    request syntax), for the request log."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[1] == "tags":
        return {"GET": "ListTags", "POST": "TagResource", "DELETE": "UntagResource"}.get(method, "")
    if len(parts) < 2 or parts[1] != "functions":
        return ""
    if len(parts) == 2:
        return {"POST": "CreateFunction", "GET": "ListFunctions"}.get(method, "")
    rest = parts[3:]
    if not rest:
        return {"GET": "GetFunction", "DELETE": "DeleteFunction"}.get(method, "")
    return {
        ("PUT", "code"): "UpdateFunctionCode",
        ("PUT", "configuration"): "UpdateFunctionConfiguration",
        ("GET", "configuration"): "GetFunctionConfiguration",
        ("POST", "policy"): "AddPermission",
        ("GET", "policy"): "GetPolicy",
        ("DELETE", "policy"): "RemovePermission",
        ("POST", "invocations"): "Invoke",
    }.get((method, rest[0]), "")
