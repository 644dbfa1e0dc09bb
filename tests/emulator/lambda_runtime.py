"""Lambda invocation, EventBridge delivery and RDS failover, as AWS does them, for the
emulator: moto stores functions, rules and permissions but cannot run a function without
Docker, nor deliver an event to one, nor fail a database over to another address.

- `invoke`: runs a function as Lambda's Python runtime would. Lambda invokes only an
  Active function ("Lambda function states"); runs the handler named by `Handler` in the
  uploaded code, with the function's environment variables and those the runtime defines
  (region, function name, log group and stream, and the execution role's temporary
  credentials: "Defined runtime environment variables" in "Working with Lambda
  environment variables"); records Invocations, Errors and Duration in namespace
  AWS/Lambda, dimension FunctionName ("Types of metrics for Lambda functions", Lambda
  developer guide); and sends what the code prints, between START, END and REPORT lines
  ("Log and monitor Python Lambda functions"), to log group /aws/lambda/<name>, in one
  stream per day, when that group exists and the role may write to it (CreateLogStream,
  PutLogEvents: "Sending Lambda function logs to CloudWatch Logs"; the tool creates the
  group itself, so the role need not create it). The code reaches the emulator through
  AWS_ENDPOINT_URL, which boto3 honours ("Service-specific endpoints", AWS SDKs and Tools
  reference guide), and resolves names through the emulator's DNS table.
- `deliver`: EventBridge sending one event to the Lambda targets of every ENABLED rule of
  the default bus whose pattern matches it (moto's matcher). EventBridge needs the
  function's resource-based policy to allow lambda:InvokeFunction to
  events.amazonaws.com from the rule, or a target role allowed to invoke it ("Using
  resource-based policies for Amazon EventBridge", AWS Lambda permissions); without it the
  function is not run and the rule's FailedInvocations counts it (AWS/Events, dimension
  RuleName: "Monitoring Amazon EventBridge").
- `fire_schedule`: a scheduled rule's run, with the "Scheduled Event" EventBridge sends
  ("Amazon EventBridge events detail reference").
- `failover`: an Aurora cluster's or a Multi-AZ DB instance's failover: the writer (or the
  standby) in another zone takes over, DNS moves the endpoint's name to its address, and
  RDS sends its failover events ("Amazon RDS event categories and event messages", RDS and
  Aurora user guides) as EventBridge delivers them ("Overview of events for Amazon RDS").

Run as a script, this file is the bootstrap of one invocation (stdlib and boto3 only, as
in Lambda's runtime): `python -I lambda_runtime.py RESULT_PATH`, the request on stdin.
"""

import datetime
import fnmatch
import hashlib
import importlib
import io
import ipaddress
import json
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import zipfile

ACCOUNT = "123456789012"  # moto's account for every access key it did not issue
BACKENDS = {
    "lambda": ("moto.awslambda.models", "lambda_backends"), "sts": ("moto.sts.models", "sts_backends"),
    "iam": ("moto.iam.models", "iam_backends"), "cloudwatch": ("moto.cloudwatch.models", "cloudwatch_backends"),
    "logs": ("moto.logs.models", "logs_backends"), "events": ("moto.events.models", "events_backends"),
    "rds": ("moto.rds.models", "rds_backends"), "ec2": ("moto.ec2.models", "ec2_backends"),
}


class Refused(Exception):
    """A control request that cannot be carried out (answered 400)."""


def partition(region):
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def backend(service, account, region):
    """moto's backend; imported here, so the bootstrap below never loads moto."""
    module, name = BACKENDS[service]
    backends = getattr(importlib.import_module(module), name)
    return backends[account][partition(region) if service in ("iam", "sts") else region]


def handle(path, request, dns, endpoint, regions):
    """The control endpoint at `path`; `regions`: the seeded ones, the first the default."""
    region = request.get("region") or (regions[0] if regions else "us-west-2")
    if path == "/_plink/lambda/invoke":
        name = request["function"]
        if name.startswith("arn:"):
            region, account = name.split(":")[3:5]
        else:
            account = ACCOUNT
        try:
            function = backend("lambda", account, region).get_function(name)
        except Exception as e:  # moto's UnknownFunctionException
            return failure("ResourceNotFoundException", f"Function not found: {name} ({e})")
        return invoke(function, request.get("event", {}), dns, endpoint)
    if path == "/_plink/events/put":
        return {"invocations": deliver(request["event"], region, dns, endpoint)}
    if path == "/_plink/events/schedule":
        return {"invocations": fire_schedule(request["rule"], region, dns, endpoint)}
    if path == "/_plink/rds/failover":
        return failover(request["database"], region, dns, endpoint, request.get("availability_zone"))
    raise Refused(f"no such endpoint: {path}")


def failure(kind, message):
    return {"ok": False, "error": {"errorType": kind, "errorMessage": message}, "calls": [], "logs": []}


def put_metrics(account, region, namespace, dimension, values):
    data = [{"MetricName": name, "Value": float(value), "Unit": unit, "Dimensions": [dimension]}
            for name, (value, unit) in values.items()]
    backend("cloudwatch", account, region).put_metric_data(namespace, data)


# Invocation ---------------------------------------------------------------------------

def invoke(function, event, dns, endpoint):
    """Runs `function` on `event` as Lambda does (see the module's docstring)."""
    state = function.get_configuration()["State"]  # whatever fidelity makes of it
    if state != "Active":
        return failure("ResourceConflictException", "The operation cannot be performed at this time. "
                                                    f"The function is currently in the following state: {state}")
    account, region, name = function.account_id, function.region, function.function_name
    request_id = str(uuid.uuid4())
    group = f"/aws/lambda/{name}"
    started = time.time()
    # One execution environment per function and day: its stream, as Lambda names it.
    stream = time.strftime("%Y/%m/%d", time.gmtime(started)) + "/[$LATEST]" + \
        hashlib.md5(function.function_arn.encode()).hexdigest()
    role = backend("sts", account, region).assume_role(region, name, function.role, None, 3600, None)
    environment = {
        **{k: str(v) for k, v in (function.environment_vars or {}).items()},
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC", "LANG": "en_US.UTF-8",
        "AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_LOG_GROUP_NAME": group, "AWS_LAMBDA_LOG_STREAM_NAME": stream, "_HANDLER": function.handler or "",
        "AWS_ACCESS_KEY_ID": role.access_key_id, "AWS_SECRET_ACCESS_KEY": role.secret_access_key,
        "AWS_SESSION_TOKEN": role.session_token, "AWS_ENDPOINT_URL": endpoint,
        # Nothing of this machine's AWS configuration reaches the function.
        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    request = {"event": event, "dns": dict(dns.records), "request_id": request_id,
               "deadline": started + function.timeout, "arn": function.function_arn}
    with tempfile.TemporaryDirectory(prefix="plink-lambda-") as scratch:
        task = environment["LAMBDA_TASK_ROOT"] = os.path.join(scratch, "task")
        zipfile.ZipFile(io.BytesIO(function.code_bytes)).extractall(task)
        result_path = os.path.join(scratch, "result.json")
        try:
            run = subprocess.run([sys.executable, "-I", os.path.abspath(__file__), result_path],
                                 input=json.dumps(request), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, env=environment, cwd=task, timeout=function.timeout)
            output = run.stdout
            outcome = {"ok": False, "calls": [], "error": {"errorType": "Runtime.ExitError",
                                                           "errorMessage": f"exited with status {run.returncode}"}}
            if os.path.exists(result_path):
                with open(result_path) as result:
                    outcome = json.load(result)
        except subprocess.TimeoutExpired as e:
            output = e.stdout.decode() if isinstance(e.stdout, bytes) else e.stdout or ""
            outcome = {"ok": False, "calls": [], "error": {
                "errorType": "Sandbox.Timedout", "errorMessage": f"Task timed out after {function.timeout:.2f} seconds"}}
    duration = (time.time() - started) * 1000
    lines = output.splitlines()
    put_metrics(account, region, "AWS/Lambda", {"Name": "FunctionName", "Value": name},
                {"Invocations": (1, "Count"), "Errors": (0 if outcome["ok"] else 1, "Count"),
                 "Duration": (duration, "Milliseconds")})
    logs = backend("logs", account, region)
    stream_arn = log_stream_arn(account, region, group, stream)
    if group in logs.groups and role_allows(account, function.role, "logs:PutLogEvents", stream_arn) and (
            stream in logs.groups[group].streams or role_allows(account, function.role, "logs:CreateLogStream",
                                                                stream_arn)):
        logs.ensure_log_stream(group, stream)
        messages = [f"START RequestId: {request_id} Version: $LATEST", *lines, f"END RequestId: {request_id}",
                    f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\t"
                    f"Billed Duration: {math.ceil(duration)} ms\tMemory Size: {function.memory_size} MB"]
        logs.put_log_events(group, stream, [{"timestamp": int(started * 1000), "message": m} for m in messages])
    return {**outcome, "logs": lines, "duration_ms": duration}


def log_stream_arn(account, region, group, stream):
    return f"arn:{partition(region)}:logs:{region}:{account}:log-group:{group}:log-stream:{stream}"


def listed(value):
    return value if isinstance(value, list) else [value] if value is not None else []


def wildcard(pattern, text):
    """IAM's `*` and `?` (case-sensitive); fnmatch's brackets mean nothing in IAM."""
    return re.fullmatch(fnmatch.translate(pattern.replace("[", "[[]")), text) is not None


def role_allows(account, role_arn, action, resource):
    """Whether the role's policies (inline and attached) let it do `action` on `resource`:
    an Allow naming both and no Deny. Conditions are not evaluated."""
    try:
        role = backend("iam", account, "us-east-1").get_role_by_arn(role_arn)
    except Exception:
        return False
    documents = list(role.policies.values()) + [
        next(v.document for v in policy.versions if v.is_default) for policy in role.managed_policies.values()]
    effects = set()
    for document in documents:
        for statement in listed((json.loads(document) if isinstance(document, str) else document)["Statement"]):
            if any(wildcard(a.lower(), action.lower()) for a in listed(statement.get("Action"))) and \
                    any(wildcard(r, resource) for r in listed(statement.get("Resource"))):
                effects.add(statement.get("Effect"))
    return "Allow" in effects and "Deny" not in effects


# EventBridge --------------------------------------------------------------------------

def conditions_hold(conditions, context):
    """The policy conditions EventBridge's permission uses (AddPermission's SourceArn and
    SourceAccount); keys are case-insensitive, an operator not known here never holds."""
    for operator, tests in conditions.items():
        like = operator in ("ArnLike", "StringLike")
        if operator not in ("ArnLike", "ArnEquals", "StringLike", "StringEquals"):
            return False
        for key, values in tests.items():
            actual = context.get(key.lower())
            if actual is None or not any(wildcard(v, actual) if like else v == actual for v in listed(values)):
                return False
    return True


def events_may_invoke(rule, target, function):
    """Whether EventBridge may invoke `function` for `rule`: through the target's role, or
    the function's resource-based policy."""
    if target.get("RoleArn"):
        return role_allows(rule.account_id, target["RoleArn"], "lambda:InvokeFunction", function.function_arn)
    context = {"aws:sourcearn": rule.arn, "aws:sourceaccount": rule.account_id}
    for statement in function.policy.statements:
        principal = statement.get("Principal")
        services = listed(principal.get("Service")) if isinstance(principal, dict) else listed(principal)
        if statement.get("Effect") == "Allow" and ("*" in services or "events.amazonaws.com" in services) \
                and any(wildcard(a.lower(), "lambda:invokefunction") for a in listed(statement.get("Action"))) \
                and any(wildcard(r, function.function_arn) for r in listed(statement.get("Resource"))) \
                and conditions_hold(statement.get("Condition", {}), context):
            return True
    return False


NOT_INVOKED = ("ResourceNotFoundException", "AccessDeniedException", "ResourceConflictException")


def run_rule(rule, event, dns, endpoint):
    """EventBridge sending `event` to the rule's Lambda targets (other kinds are left out)."""
    from moto.events.models import EventTemplateParser

    invocations = []
    dimension = {"Name": "RuleName", "Value": rule.name}
    put_metrics(rule.account_id, rule.region_name, "AWS/Events", dimension, {"TriggeredRules": (1, "Count")})
    for target in rule.targets:
        arn = target["Arn"].split(":")
        if len(arn) < 7 or arn[2] != "lambda":
            continue
        account, region, name = arn[4], arn[3], arn[6]
        if "Input" in target:
            payload = json.loads(target["Input"])
        elif "InputTransformer" in target:
            transformer = target["InputTransformer"]
            payload = EventTemplateParser.parse(transformer.get("InputTemplate"),
                                                transformer.get("InputPathsMap", {}), event)
        else:
            payload = event
        try:
            function = backend("lambda", account, region).get_function(target["Arn"])
        except Exception:  # moto's UnknownFunctionException
            function = None
        if function is None:
            result = failure("ResourceNotFoundException", f"Function not found: {target['Arn']}")
        elif not events_may_invoke(rule, target, function):
            result = failure("AccessDeniedException", f"EventBridge may not invoke {name} for rule {rule.name}: its "
                                                      "policy does not allow lambda:InvokeFunction to "
                                                      f"events.amazonaws.com from {rule.arn}")
        else:
            result = invoke(function, payload, dns, endpoint)
        # A function that ran and failed was delivered all the same (EventBridge invokes
        # asynchronously); one that could not be invoked is a failed invocation.
        invoked = result["ok"] or result["error"]["errorType"] not in NOT_INVOKED
        put_metrics(rule.account_id, rule.region_name, "AWS/Events", dimension,
                    {"Invocations": (1, "Count"), **({} if invoked else {"FailedInvocations": (1, "Count")})})
        invocations.append({"rule": rule.name, "function": name, "invoked": invoked, **result})
    return invocations


def default_bus(account, region):
    return backend("events", account, region).event_buses["default"]


def deliver(event, region, dns, endpoint):
    """One event on the default bus to every ENABLED rule whose pattern matches it."""
    account = event.get("account", ACCOUNT)
    now = datetime.datetime.now(datetime.timezone.utc)
    event = {"version": "0", "id": str(uuid.uuid4()), "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "account": account, "region": region, "resources": [], "detail": {}, **event}
    invocations = []
    for rule in list(default_bus(account, region).rules.values()):
        # A rule without a pattern runs on its schedule only (moto's matcher takes all).
        if rule.state == "ENABLED" and rule.event_pattern.get_pattern() and rule.event_pattern.matches_event(event):
            invocations += run_rule(rule, event, dns, endpoint)
    return invocations


def fire_schedule(name, region, dns, endpoint, account=ACCOUNT):
    rule = default_bus(account, region).rules.get(name)
    if rule is None or not rule.scheduled_expression:
        raise Refused(f"no scheduled rule {name} on the default bus of {region}")
    if rule.state != "ENABLED":
        return []
    event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
             "account": account, "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "region": region, "resources": [rule.arn], "detail": {}}
    return run_rule(rule, event, dns, endpoint)


# RDS failover -------------------------------------------------------------------------

# A Multi-AZ instance's standby, by (region, instance): (zone, address). RDS keeps one in
# another zone of the DB subnet group; after a failover the old primary is the standby.
STANDBYS = {}

# (EventID, message) from "Amazon RDS event categories and event messages" (DB cluster
# events and DB instance events, category failover).
CLUSTER_STARTED = {True: ("RDS-EVENT-0073", "Started cross AZ failover to DB instance: {}"),
                   False: ("RDS-EVENT-0072", "Started same AZ failover to DB instance: {}")}
CLUSTER_COMPLETED = ("RDS-EVENT-0071", "Completed failover to DB instance: {}")
INSTANCE_STARTED = ("RDS-EVENT-0013", "Multi-AZ instance failover started.")
INSTANCE_COMPLETED = ("RDS-EVENT-0049", "Multi-AZ instance failover completed.")


def rds_event(cluster, arn, identifier, account, region, event_id, message):
    """An RDS event as EventBridge delivers it ("Overview of events for Amazon RDS")."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"version": "0", "id": str(uuid.uuid4()),
            "detail-type": "RDS DB Cluster Event" if cluster else "RDS DB Instance Event", "source": "aws.rds",
            "account": account, "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region, "resources": [arn],
            "detail": {"EventCategories": ["failover"], "SourceType": "CLUSTER" if cluster else "DB_INSTANCE",
                       "SourceArn": arn, "Date": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
                       "Message": message, "SourceIdentifier": identifier, "EventID": event_id}}


def answer(dns, host):
    """The first address the emulator's DNS gives `host`, or None."""
    return (dns.records.get(host.rstrip(".").lower()) or [None])[0]


def zone_of(address, subnets):
    held = [s for s in subnets if ipaddress.ip_address(address) in ipaddress.ip_network(s.cidr_block)]
    return held[0].availability_zone if held else None


def free_address(subnet, dns, account, region):
    """The first address from .70 of `subnet` that no name resolves to and no network
    interface holds."""
    taken = {a for addresses in dns.records.values() for a in addresses}
    taken |= {eni.private_ip_address for eni in backend("ec2", account, region).enis.values()}
    network = ipaddress.ip_network(subnet.cidr_block)
    for host in range(70, network.num_addresses - 1):
        if str(network[host]) not in taken:
            return str(network[host])
    raise Refused(f"no free address in {subnet.id}")


def pick_zone(subnets, away_from, wanted):
    zones = sorted({s.availability_zone for s in subnets})
    if wanted:
        if wanted not in zones:
            raise Refused(f"{wanted} is not a zone of the DB subnet group ({', '.join(zones)})")
        return wanted
    others = [z for z in zones if z != away_from]
    if not others:
        raise Refused("the DB subnet group has no other zone to fail over to")
    return others[0]


def failover(database, region, dns, endpoint, wanted_zone=None, account=ACCOUNT):
    rds = backend("rds", account, region)
    if database in rds.clusters:
        cluster = rds.clusters[database]
        subnets = rds.subnet_groups[cluster.db_subnet_group_name]._subnets
        name, writer = cluster.endpoint, cluster.writer
        old = answer(dns, name)
        if old is None or writer is None:
            raise Refused(f"{database} has no writer, or its endpoint no address")
        old_zone = zone_of(old, subnets) or writer.availability_zone
        readers = [m for m in cluster.members if not m.is_cluster_writer]
        target = next((r for r in readers if r.availability_zone == wanted_zone or (
            not wanted_zone and r.availability_zone != old_zone)), None)
        if target is None:  # a cluster with one instance gets a reader, as a highly available one has
            zone = pick_zone(subnets, old_zone, wanted_zone)
            taken = {m.db_instance_identifier for m in rds.databases.values()}
            identifier = next(f"{database}-{n}" for n in range(2, 100) if f"{database}-{n}" not in taken)
            target = rds.create_db_instance({"db_instance_identifier": identifier, "engine": cluster.engine,
                                             "db_instance_class": writer.db_instance_class,
                                             "db_cluster_identifier": database, "availability_zone": zone})
        new_zone = target.availability_zone
        new = answer(dns, target.address) or free_address(
            next(s for s in subnets if s.availability_zone == new_zone), dns, account, region)
        dns.set(target.address, [new])
        if answer(dns, writer.address) is None:  # each instance's own name keeps its address
            dns.set(writer.address, [old])
        arn = cluster.db_cluster_arn

        def event(event_id, message):
            return rds_event(True, arn, database, account, region, event_id, message.format(target.db_instance_identifier))

        started = event(*CLUSTER_STARTED[new_zone != old_zone])
        invocations = deliver(started, region, dns, endpoint)
        rds.failover_db_cluster(database, target.db_instance_identifier)
        dns.set(name, [new])
        dns.set(cluster.reader_endpoint, [old])
        completed = event(*CLUSTER_COMPLETED)
    elif database in rds.databases:
        instance = rds.databases[database]
        if getattr(instance, "db_cluster_identifier", None):
            raise Refused(f"{database} is in cluster {instance.db_cluster_identifier}: fail the cluster over")
        if not instance.multi_az:
            raise Refused(f"{database} is not Multi-AZ: it has no standby to fail over to")
        subnets = instance.db_subnet_group._subnets
        name = instance.address
        old = answer(dns, name)
        if old is None:
            raise Refused(f"{name} has no address")
        old_zone = zone_of(old, subnets) or instance.availability_zone
        standby = STANDBYS.get((region, database))
        if standby is None or (wanted_zone and standby[0] != wanted_zone):
            zone = pick_zone(subnets, old_zone, wanted_zone)
            standby = (zone, free_address(next(s for s in subnets if s.availability_zone == zone), dns, account, region))
        new_zone, new = standby
        arn = instance.arn

        def event(event_id, message):
            return rds_event(False, arn, database, account, region, event_id, message)

        started = event(*INSTANCE_STARTED)
        invocations = deliver(started, region, dns, endpoint)
        dns.set(name, [new])
        instance.availability_zone = new_zone
        STANDBYS[(region, database)] = (old_zone, old)
        completed = event(*INSTANCE_COMPLETED)
    else:
        raise Refused(f"no DB cluster or DB instance {database} in {region}")
    invocations += deliver(completed, region, dns, endpoint)
    return {"old_address": old, "new_address": new, "events": [started, completed], "invocations": invocations}


# The bootstrap: one invocation, in its own process ------------------------------------

class Context:
    """The handler's context object, as Lambda's Python runtime gives it."""

    def __init__(self, request):
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = request["arn"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.aws_request_id = request["request_id"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.deadline = request["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int((self.deadline - time.time()) * 1000))


def bootstrap(result_path):
    request = json.load(sys.stdin)
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    import boto3

    calls = []
    boto3.setup_default_session()
    # Every API call the code makes through boto3's default session, as it makes it.
    boto3.DEFAULT_SESSION.events.register(
        "before-call", lambda model, **_: calls.append({"service": model.service_model.signing_name,
                                                         "action": model.name}))
    records = request["dns"]

    def resolve_ipv4(host):
        addresses = records.get(host.rstrip(".").lower())
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return sorted(set(addresses))

    module_name, _, function_name = os.environ["_HANDLER"].rpartition(".")
    outcome = {"ok": False, "calls": calls}
    try:
        module = importlib.import_module(module_name)
    except Exception as e:
        outcome["error"] = {"errorType": "Runtime.ImportModuleError",
                            "errorMessage": f"Unable to import module '{module_name}': {e}"}
        module = None
    if module is not None and not callable(getattr(module, function_name, None)):
        outcome["error"] = {"errorType": "Runtime.HandlerNotFound",
                            "errorMessage": f"Handler '{function_name}' missing on module '{module_name}'"}
    elif module is not None:
        if hasattr(module, "resolve_ipv4"):
            module.resolve_ipv4 = resolve_ipv4
        try:
            result = getattr(module, function_name)(request["event"], Context(request))
            outcome.update(ok=True, result=json.loads(json.dumps(result)))
        except Exception as e:
            print(f"[ERROR] {type(e).__name__}: {e}", flush=True)
            traceback.print_exc(file=sys.stdout)
            outcome["error"] = {"errorType": type(e).__name__, "errorMessage": str(e),
                                "requestId": request["request_id"],
                                "stackTrace": traceback.format_tb(e.__traceback__)}
    sys.stdout.flush()
    with open(result_path, "w") as out:
        json.dump(outcome, out)


if __name__ == "__main__":
    bootstrap(sys.argv[1])
