"""The local AWS emulator for airbyte-plink: moto's server with the fidelity layer,
a request log, and an optional seeded sample network.

    python plink_emulator.py [--port N] [--seed us-west-2,us-east-1]

Prints one line `READY <json>` on stdout once it serves: {"endpoint": URL, "proxy":
URL, "dns": "127.0.0.1:PORT", "seed": {region: {...ids}}}. "proxy" is a fault-injecting
proxy in front of the emulator (see fault_proxy.py). The DNS server answers the seeded RDS
and Aurora endpoints (Postgres, MySQL and Aurora MySQL); POST /_plink/dns with {"host":
["ip", ...]} sets more (an empty list: NXDOMAIN). POST /_plink/target-health with {"target_group_arn", "target_id",
"state"} and optionally "reason" (AWS's reason code) sets what DescribeTargetHealth reports for a target;
POST /_plink/provisioning with {"seconds": N} keeps each new load balancer `provisioning` for N seconds (AWS
gives no figure); POST /_plink/service-pending with {"seconds": N, "unlisted": M} keeps each
new or modified endpoint service `Pending` for N seconds, and a new one unknown by ID for
M. POST /_plink/supported-regions with {"pending", "deleting" (seconds),
"failing", "refused" (lists of regions)} sets how supported regions of endpoint services
come and go (fidelity.supported_region_states); POST /_plink/subnet-removal with
{"seconds": N} makes removing a subnet from a network load balancer take N seconds (AWS: up to 3 minutes).
POST /_plink/zone-ready with {"seconds": N} makes a subnet added to a load balancer ready for its endpoint
service N seconds later (fidelity.endpoint_service_zones; AWS: "a few minutes").
POST /_plink/accepting with {"seconds": N} keeps an accepted connection `pending` for N
seconds before it is `available`. POST /_plink/parameter-defaults with {"values": false}
lists engine-default DB parameters (max_connect_errors) without a ParameterValue, as AWS
does for a default it leaves to the engine; {"values": true}, the default, lists "100".
POST /_plink/role-propagation with {"seconds": N} makes a new IAM role unusable by Lambda
for N seconds (fidelity.lambda_execution_role); POST /_plink/function-pending with
{"seconds": N} keeps a new Lambda function `Pending`, and an update `InProgress`, for N
seconds (fidelity.lambda_function_states). Both 0 by default.
POST /_plink/group-release with {"seconds": N} keeps the security groups of a deleted load balancer in use for N seconds. POST /_plink/throttling with {"on": true} limits request rates as AWS does (see
Throttling); GET /_plink/throttling says how many requests it refused. GET /_plink/requests lists every API call received
({"service", "action", "access_key"}); DELETE clears the list. POST /_plink/deny with a
JSON list of action names makes those actions fail as AWS does when IAM denies them;
DELETE /_plink/deny allows everything again. POST /_plink/fail with {"Action": {"code",
"message"}} makes those actions fail with that AWS error (a quota, say); DELETE
/_plink/deny clears these too. A request signed with an access key beginning
AKIAINVALID fails as AWS fails a key it does not know.

Lambda, EventBridge and RDS failover, as AWS runs them (lambda_runtime.py); "region"
is optional in each, the first seeded region by default (us-west-2 if none):
POST /_plink/lambda/invoke with {"function": name or ARN, "event": {...}} runs the function
as Lambda does and answers {"ok", "result" or "error" ({"errorType", "errorMessage"}),
"calls": [{"service", "action"}] (its API calls), "logs": [lines it printed]}.
POST /_plink/events/put with {"event": {...}} delivers one event on the default bus to the
Lambda targets of the ENABLED rules it matches, each invoked only if EventBridge may invoke
it; POST /_plink/events/schedule with {"rule": name} runs a scheduled rule as its schedule
does. Both answer {"invocations": [{"rule", "function", "invoked", ...as invoke}]}.
POST /_plink/rds/failover with {"database": cluster or instance ID, "availability_zone"?}
fails an Aurora cluster or a Multi-AZ instance over to another zone, moves its endpoint's
DNS answer and delivers RDS's failover events; it answers {"old_address", "new_address",
"events": [...], "invocations": [...]}. A request that cannot be carried out is answered
400 {"error": message}.
"""

import argparse
import io
import json
import signal
import socket
import struct
import sys
import threading
import time
from urllib.parse import parse_qs

import fault_proxy
import fidelity
import lambda_runtime

fidelity.apply_all()

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import seed as seeding  # noqa: E402


class Throttling:
    """AWS's request rate limits, when switched on (POST /_plink/throttling {"on": true}):
    token buckets per account (access key) and region, each with a capacity and a refill
    rate a second. A request needing a bucket that is empty is refused as AWS refuses it,
    and takes a token from none; GET /_plink/throttling says how many were refused.

    EC2, as "Request throttling for the Amazon EC2 API" has it: "Limits are applied to
    individual API actions, not API action categories", so each action has a bucket of its
    own, sized by its category: 100/20 for non-mutating actions (Describe*, List*, Search*,
    Get*); 50/10 for the calls of the non-mutating actions it names made without a filter
    or pagination, which "use tokens from a smaller token bucket" than the same action's
    narrowed calls; 50/5 for mutating and for resource-intensive actions; and the figures
    of its table for the actions it names, 100/10 for CreateTags (DeleteTags likewise here)
    and 10/1 for creating, modifying and deleting endpoint services and for accepting and
    rejecting their connections. Refused with RequestLimitExceeded, a server error (503).

    ELB, as "Request throttling for the ELB API" has it: 10/0.2 for the resource-intensive
    CreateLoadBalancer and SetSubnets, 20/4 for registering and deregistering targets,
    40/10 for Describe*, 20/3 for every other change; and besides "an account-level
    throttling limit that is shared across all Elastic Load Balancing API actions", 40/10,
    so each request needs a token from its category's bucket and from the account's. The
    page does not say whether a category's bucket is per action or shared by its actions:
    shared here, the stricter reading. Refused as the page says, with ThrottlingException
    "Rate exceeded" (400); the fault proxy's random throttles answer Throttling, as AWS has
    been seen to, so that both are met.

    STS, RDS, Lambda and the rest are not limited here."""

    EC2_UNFILTERED = {"DescribeInstances", "DescribeInstanceStatus", "DescribeNetworkInterfaces",
                      "DescribeSecurityGroups", "DescribeSnapshots", "DescribeSpotInstanceRequests",
                      "DescribeVolumes"}
    EC2_RESOURCE_INTENSIVE = {"AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateKeyPair"}
    # (capacity, refill a second) of each category, and of the EC2 actions named in its table.
    EC2_BUCKETS = {"read": (100, 20), "unfiltered": (50, 10), "change": (50, 5), "resource-intensive": (50, 5)}
    EC2_NAMED = {"CreateTags": (100, 10), "DeleteTags": (100, 10),
                 **dict.fromkeys(("CreateVpcEndpointServiceConfiguration", "ModifyVpcEndpointServiceConfiguration",
                                  "DeleteVpcEndpointServiceConfigurations", "AcceptVpcEndpointConnections",
                                  "RejectVpcEndpointConnections"), (10, 1))}
    ELB_CATEGORIES = {"CreateLoadBalancer": "resource-intensive", "SetSubnets": "resource-intensive",
                      "RegisterTargets": "registration", "DeregisterTargets": "registration"}
    ELB_BUCKETS = {"resource-intensive": (10, 0.2), "registration": (20, 4), "read": (40, 10), "change": (20, 3),
                   "account": (40, 10)}
    # How each service refuses: status, code, message.
    REFUSALS = {"ec2": ("503 Service Unavailable", "RequestLimitExceeded", "Request limit exceeded."),
                "elasticloadbalancing": ("400 Bad Request", "ThrottlingException", "Rate exceeded")}

    def __init__(self):
        self.lock = threading.Lock()
        self.on = False
        self.buckets = {}
        self.refused = 0

    def configure(self, on):
        with self.lock:
            self.on, self.buckets, self.refused = on, {}, 0

    def needs(self, service, action, params):
        """The buckets the request takes a token from: {name: (capacity, refill)}."""
        reading = action.startswith(("Describe", "Get", "List", "Search"))
        if service == "ec2":
            if action in self.EC2_NAMED:
                return {("ec2", action): self.EC2_NAMED[action]}
            narrowed = any(p.startswith(("Filter", "MaxResults", "NextToken")) or p.endswith("Id.1") for p in params)
            if action in self.EC2_RESOURCE_INTENSIVE:
                category = "resource-intensive"
            elif action in self.EC2_UNFILTERED and not narrowed:
                category = "unfiltered"
            else:
                category = "read" if reading else "change"
            return {("ec2", action, category): self.EC2_BUCKETS[category]}
        if service == "elasticloadbalancing":
            category = self.ELB_CATEGORIES.get(action) or ("read" if reading else "change")
            return {("elasticloadbalancing", category): self.ELB_BUCKETS[category],
                    ("elasticloadbalancing", "account"): self.ELB_BUCKETS["account"]}
        return {}

    def admit(self, service, action, params, account, region):
        """Whether the request may go on; takes a token from each bucket it needs if so."""
        with self.lock:
            needs = self.on and self.needs(service, action, params)
            if not needs:
                return True
            now, tokens = time.monotonic(), {}
            for name, (capacity, refill) in needs.items():
                key = (account, region) + name
                left, since = self.buckets.get(key, (capacity, now))
                tokens[key] = min(capacity, left + (now - since) * refill)
            admitted = all(left >= 1 for left in tokens.values())
            for key, left in tokens.items():
                self.buckets[key] = (left - 1 if admitted else left, now)
            self.refused += not admitted
            return admitted


class QuietRequestHandler(MotoRequestHandler):
    """No access log: the tests read the request log instead. No Nagle delay: an answer
    written in two parts would otherwise wait on the client's delayed ACK (40 ms)."""

    disable_nagle_algorithm = True

    def log_request(self, *args, **kwargs):
        pass


# EC2 answers a denied call with UnauthorizedOperation in its own error shape; the
# query-protocol services (ELBv2, STS) with AccessDenied.
EC2_DENIED = (
    "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to "
    "perform this operation. User: arn:aws:iam::123456789012:user/test is not authorized to perform: "
    "ec2:{action}</Message></Error></Errors><RequestID>denied</RequestID></Response>"
)
EC2_ERROR = "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>" \
            "<RequestID>failed</RequestID></Response>"
QUERY_ERROR = "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>" \
              "<RequestId>failed</RequestId></ErrorResponse>"
# AWS: a key it does not know is refused before anything else, by EC2 as AuthFailure and
# by the query-protocol services as InvalidClientTokenId.
UNKNOWN_KEY_PREFIX = "AKIAINVALID"
UNKNOWN_KEY_MESSAGE = "The security token included in the request is invalid."

QUERY_DENIED = (
    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: "
    "arn:aws:iam::123456789012:user/test is not authorized to perform: {service}:{action}</Message>"
    "</Error><RequestId>denied</RequestId></ErrorResponse>"
)


class DnsServer:
    """A UDP DNS server on loopback answering A queries from a table, standing in for
    the private DNS AWS gives RDS endpoints."""

    def __init__(self):
        self.records = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def set(self, host, addresses):
        self.records[host.rstrip(".").lower()] = list(addresses)

    def serve(self):
        while True:
            query, peer = self.sock.recvfrom(1500)
            try:
                self.sock.sendto(self.answer(query), peer)
            except (IndexError, struct.error, UnicodeDecodeError):
                continue  # not a query we understand: no answer, as from a lost packet

    def answer(self, query):
        ident, flags = struct.unpack(">HH", query[:4])
        labels, i = [], 12
        while query[i]:
            labels.append(query[i + 1:i + 1 + query[i]].decode().lower())
            i += 1 + query[i]
        qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
        question = query[12:i + 5]
        addresses = self.records.get(".".join(labels)) or []
        answers = addresses if qtype == 1 else []
        rcode = 0 if addresses else 3  # NOERROR, or NXDOMAIN for a name we do not know
        header = struct.pack(">HHHHHH", ident, 0x8080 | (flags & 0x0100) | rcode, 1, len(answers), 0, 0)
        records = b"".join(b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 30, 4) + socket.inet_aton(a) for a in answers)
        return header + question + records


class RequestLog:
    """WSGI middleware recording the action of every AWS API request, and denying the
    actions a test asks it to."""

    def __init__(self, app, dns):
        self.app = app
        self.dns = dns
        self.entries = []
        self.denied = set()
        self.failing = {}
        self.throttling = Throttling()
        self.lock = threading.Lock()
        self.endpoint = ""  # this server's own, where functions it runs send their calls
        self.regions = []  # the seeded ones

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_plink/requests"):
            return self.serve_log(environ, start_response)
        if path.startswith("/_plink/deny"):
            return self.serve_deny(environ, start_response)
        if path.startswith("/_plink/fail"):
            return self.serve_fail(environ, start_response)
        if path.startswith("/_plink/dns"):
            return self.serve_dns(environ, start_response)
        if path.startswith("/_plink/target-health"):
            return self.serve_target_health(environ, start_response)
        if path.startswith("/_plink/provisioning"):
            return self.serve_provisioning(environ, start_response)
        if path.startswith("/_plink/service-pending"):
            return self.serve_service_pending(environ, start_response)
        if path.startswith("/_plink/supported-regions"):
            return self.serve_supported_regions(environ, start_response)
        if path.startswith("/_plink/subnet-removal"):
            return self.serve_subnet_removal(environ, start_response)
        if path.startswith("/_plink/zone-ready"):
            return self.serve_zone_ready(environ, start_response)
        if path.startswith("/_plink/throttling"):
            return self.serve_throttling(environ, start_response)
        if path.startswith("/_plink/accepting"):
            return self.serve_accepting(environ, start_response)
        if path.startswith("/_plink/group-release"):
            return self.serve_group_release(environ, start_response)
        if path.startswith("/_plink/parameter-defaults"):
            return self.serve_parameter_defaults(environ, start_response)
        if path.startswith("/_plink/role-propagation"):
            return self.serve_seconds(fidelity.ROLE_PROPAGATION, environ, start_response)
        if path.startswith("/_plink/function-pending"):
            return self.serve_seconds(fidelity.FUNCTION_PENDING, environ, start_response)
        if path.startswith(("/_plink/lambda/", "/_plink/events/", "/_plink/rds/")):
            return self.serve_runtime(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        auth = environ.get("HTTP_AUTHORIZATION", "")
        service, access_key, region = "", "", ""
        if "Credential=" in auth:
            scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
            access_key = scope[0]
            region = scope[2] if len(scope) > 2 else ""
            service = scope[3] if len(scope) > 3 else ""
        params = parse_qs(body.decode("utf-8", "replace")) if body else parse_qs(environ.get("QUERY_STRING", ""))
        action = (params.get("Action") or [environ.get("HTTP_X_AMZ_TARGET", "")])[0]
        # JSON APIs name the action after their version prefix (AWSEvents.PutRule); REST
        # APIs (Lambda) by method and path.
        action = fault_proxy.action_name(action, service, environ.get("REQUEST_METHOD", ""), path)
        if action:
            with self.lock:
                self.entries.append({"service": service, "action": action, "access_key": access_key})
                denied = action in self.denied
                failure = self.failing.get(action)
            if access_key.startswith(UNKNOWN_KEY_PREFIX):
                code = "AuthFailure" if service == "ec2" else "InvalidClientTokenId"
                return self.error(start_response, "403 Forbidden", service, code, UNKNOWN_KEY_MESSAGE)
            # Each access key stands for one account here.
            if not self.throttling.admit(service, action, params, access_key, region):
                status, code, message = Throttling.REFUSALS[service]
                return self.error(start_response, status, service, code, message)
            if denied:
                template = EC2_DENIED if service == "ec2" else QUERY_DENIED
                body = template.format(service=service, action=action).encode()
                start_response("403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
                return [body]
            if failure:
                return self.error(start_response, "400 Bad Request", service, failure["code"], failure["message"])
        return self.app(environ, start_response)

    @staticmethod
    def error(start_response, status, service, code, message):
        template = EC2_ERROR if service == "ec2" else QUERY_ERROR
        body = template.format(code=code, message=message).encode()
        start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
        return [body]

    def serve_fail(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        with self.lock:
            self.failing.update(json.loads(environ["wsgi.input"].read(length) or b"{}"))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_dns(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        for host, addresses in json.loads(environ["wsgi.input"].read(length) or b"{}").items():
            self.dns.set(host, addresses)
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_target_health(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length))
        fidelity.TARGET_HEALTH[(request["target_group_arn"], request["target_id"])] = \
            (request["state"], request.get("reason"))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_provisioning(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.PROVISIONING["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_service_pending(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length))
        fidelity.SERVICE_PENDING.update(seconds=float(request["seconds"]), unlisted=float(request["unlisted"]))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_supported_regions(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length))
        fidelity.SUPPORTED_REGIONS.update(pending=float(request["pending"]), deleting=float(request["deleting"]),
                                          failing=set(request["failing"]), refused=set(request["refused"]))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_subnet_removal(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.SUBNET_REMOVAL["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_zone_ready(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.ZONE_READY["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_throttling(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            self.throttling.configure(bool(json.loads(environ["wsgi.input"].read(length))["on"]))
        body = json.dumps({"on": self.throttling.on, "refused": self.throttling.refused}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def serve_accepting(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.ACCEPTING["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_group_release(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.GROUP_RELEASE["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    @staticmethod
    def serve_seconds(setting, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        setting["seconds"] = float(json.loads(environ["wsgi.input"].read(length))["seconds"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_parameter_defaults(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fidelity.PARAMETER_DEFAULTS["values"] = bool(json.loads(environ["wsgi.input"].read(length))["values"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]

    def serve_runtime(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length) or b"{}")
        try:
            status, answer = "200 OK", lambda_runtime.handle(environ["PATH_INFO"], request, self.dns, self.endpoint,
                                                             self.regions)
        except (lambda_runtime.Refused, KeyError) as e:
            status, answer = "400 Bad Request", {"error": str(e)}
        body = json.dumps(answer).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def serve_deny(self, environ, start_response):
        with self.lock:
            if environ["REQUEST_METHOD"] == "DELETE":
                self.denied.clear()
                self.failing.clear()
            else:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                self.denied.update(json.loads(environ["wsgi.input"].read(length) or b"[]"))
            body = json.dumps(sorted(self.denied)).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def serve_log(self, environ, start_response):
        with self.lock:
            if environ["REQUEST_METHOD"] == "DELETE":
                self.entries.clear()
            body = json.dumps(self.entries).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", default="", help="comma-separated regions to seed with the sample network")
    args = parser.parse_args()

    dns = DnsServer()
    app = RequestLog(DomainDispatcherApplication(create_backend_app), dns)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietRequestHandler)
    endpoint = app.endpoint = f"http://{args.host}:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = fault_proxy.start(server.server_port, args.host)

    app.regions = list(filter(None, args.seed.split(",")))
    seeded = {region: seeding.seed(endpoint, region) for region in app.regions}
    for network in seeded.values():
        for database in ("rds", "aurora", "mysql", "mysql_tuned", "aurora_tuned"):
            dns.set(network[f"{database}_endpoint"], [network[f"{database}_address"]])
    with app.lock:
        app.entries.clear()  # the seeding is not the tool's traffic
    print("READY " + json.dumps({"endpoint": endpoint, "proxy": proxy, "dns": dns.address, "seed": seeded}),
          flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
