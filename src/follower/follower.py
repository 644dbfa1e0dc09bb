"""The follower: an AWS Lambda function (Python runtime: the standard library and boto3)
that keeps a deployment's target group on the addresses the database's name resolves
to now, so an RDS or Aurora failover, maintenance or replacement does not leave the link
on a stale address. EventBridge runs it after the database's RDS events and on a schedule.

Its rule is `sync-targets`' own: src/follower/cases.json holds the cases both are
tested against. A new address is registered before the stale one leaves; a name that
does not resolve, or resolves to a public address, changes nothing; a run with nothing
to change makes only describe calls.

An Aurora cluster is followed through its cluster (writer) endpoint's name, which DNS
moves to the new writer on a failover: the targets never name an instance endpoint, so
nothing here follows a fixed instance (the old writer, after a failover).
"""

import ipaddress
import json
import os
import socket

import boto3

# As the tool's `is_private`: RFC 1918 and carrier-grade NAT (RFC 6598), where a VPC's
# addresses may be; anything else cannot be a database in a VPC.
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]


def resolve_ipv4(host):
    """Every IPv4 address `host` resolves to now (raises OSError when it does not)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)})


def ipv4(text):
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def resolve(targets):
    """The target IDs for the targets as given: an IP or instance ID as it is, a hostname
    as all its addresses. Raises, naming every problem, when a name does not resolve or
    resolves to a public address."""
    ids, problems = [], []
    for target in targets:
        if ipv4(target) or target.startswith("i-"):
            ids.append(target)
            continue
        try:
            addresses = resolve_ipv4(target)
        except OSError as e:
            problems.append(f"{target} does not resolve ({e})")
            continue
        public = [a for a in addresses if not any(ipv4(a) in n for n in PRIVATE)]
        if public:
            problems.append(f"{target} resolves to {public[0]}, which is not a private address")
        elif not addresses:
            problems.append(f"{target} does not resolve (no address)")
        ids.extend(addresses)
    if problems:
        raise RuntimeError(f"cannot tell the database's current addresses: {'; '.join(problems)}; nothing was changed")
    return ids


def reconcile(registered, resolved, port, vpc_cidrs):
    """What to register and deregister so the target group holds `resolved` on `port`.

    `registered`: the targets now in the group, {"id", "port", "availability_zone"?};
    `resolved`: target IDs. An IP outside every one of `vpc_cidrs` is registered with
    availability_zone "all", which AWS requires for it (ELB API reference,
    TargetDescription). Targets are the same when their ID and port are; both lists come
    back sorted by them, without duplicates. Refuses (raises) when nothing resolved: a
    group emptied by a bad answer would take the link down."""
    if not resolved:
        raise ValueError("the targets resolve to no address; nothing was changed")
    networks = [ipaddress.ip_network(c, strict=False) for c in vpc_cidrs]

    def current(target_id):
        target = {"id": target_id, "port": port}
        address = ipv4(target_id)
        if address and not any(address in n for n in networks):
            target["availability_zone"] = "all"
        return target

    wanted = {(t, port): current(t) for t in resolved}
    held = {(t["id"], t["port"]): t for t in registered}
    register = [wanted[k] for k in sorted(wanted.keys() - held.keys())]
    deregister = [held[k] for k in sorted(held.keys() - wanted.keys())]
    return register, deregister


def described(target):
    """A target as ELB's API takes it."""
    out = {"Id": target["id"], "Port": target["port"]}
    if "availability_zone" in target:
        out["AvailabilityZone"] = target["availability_zone"]
    return out


def listed(targets):
    return [f"{t['id']}:{t['port']}" for t in targets]


def follow(elbv2, group, targets, port, vpc_cidrs):
    """Makes target group `group` hold what `targets` resolve to now, on `port`."""
    resolved = resolve(targets)
    health = elbv2.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    # Only "all" is kept of a registered zone, as the tool reads it: the one zone a
    # deregistration must repeat (an IP outside the VPC).
    registered = [{"id": h["Target"]["Id"], "port": h["Target"]["Port"],
                   **({"availability_zone": "all"} if h["Target"].get("AvailabilityZone") == "all" else {})}
                  for h in health]
    register, deregister = reconcile(registered, resolved, port, vpc_cidrs)
    # Register first: the new address serves before the stale one leaves.
    if register:
        elbv2.register_targets(TargetGroupArn=group, Targets=[described(t) for t in register])
    if deregister:
        elbv2.deregister_targets(TargetGroupArn=group, Targets=[described(t) for t in deregister])
    return {"current": sorted(set(listed({"id": t, "port": port} for t in resolved))),
            "registered": listed(register), "deregistered": listed(deregister)}


def handler(event, context):
    env = os.environ
    deployment = env["PLINK_DEPLOYMENT"]
    trigger = event.get("detail-type", "direct") if isinstance(event, dict) else "direct"
    cidrs = env.get("PLINK_VPC_CIDRS", "").split()
    # The deployment's other databases named by hostname: {"name", "targets", "port"},
    # each found by its target group's name.
    others = json.loads(env.get("PLINK_MORE_GROUPS", "[]"))
    result, errors = {"deployment": deployment}, []
    elbv2 = boto3.client("elbv2")
    try:
        own = env["PLINK_TARGET_GROUP_ARN"], env["PLINK_TARGETS"].split(), int(env["PLINK_PORT"])
        result.update(follow(elbv2, *own, cidrs))
    except Exception as e:
        errors.append(str(e))
    # One database's failure leaves the others followed; the run still fails, for the alarm.
    try:
        if others:
            found = elbv2.describe_target_groups(Names=[o["name"] for o in others])["TargetGroups"]
            arns = {g["TargetGroupName"]: g["TargetGroupArn"] for g in found}
            result["databases"] = {}
        for o in others:
            try:
                result["databases"][o["name"]] = follow(elbv2, arns[o["name"]], o["targets"].split(), o["port"], cidrs)
            except Exception as e:
                errors.append(f"{o['name']}: {e}")
    except Exception as e:
        errors.append(str(e))
    if errors:
        error = "; ".join(errors)
        print(json.dumps({"deployment": deployment, "trigger": trigger, "error": error}))
        raise RuntimeError(error)
    print(json.dumps({**result, "trigger": trigger}))
    return result
