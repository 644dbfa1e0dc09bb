"""The benchmark behind scripts/bench (see there). Runs the release binary, and the same
work as a script of AWS CLI calls (scripts/bench-awscli), through the emulator's fault
proxy with added latency, and reads the proxy's timeline of the calls it carried."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import json
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-west-2"
AIRBYTE_ACCOUNT = "111122223333"
READS = ("Describe", "Get", "List")


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"null")


class Emulator:
    def __init__(self, python):
        script = os.path.join(ROOT, "tests", "emulator", "plink_emulator.py")
        self.process = subprocess.Popen([python, script, "--seed", REGION], stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("READY "):
            sys.exit(f"the emulator did not start: {line!r}")
        ready = json.loads(line[len("READY "):])
        self.endpoint, self.proxy, self.dns = ready["endpoint"], ready["proxy"], ready["dns"]
        self.seed = ready["seed"][REGION]

    def latency(self, ms):
        """Sets the proxy's latency and starts a new timeline. A wait's looks at a load
        balancer's state get none: AWS's time to get ready is not a round trip of the
        tool's, and with the look answered at once the change after it shows whether it
        waited for anything else than AWS."""
        http("POST", self.proxy + "/_proxy/faults", {"latency_ms": ms, "wait_latency_ms": 0})

    def provisioning(self, seconds):
        """How long each new load balancer stays `provisioning`."""
        http("POST", self.endpoint + "/_plink/provisioning", {"seconds": seconds})

    def timeline(self):
        return http("GET", self.proxy + "/_proxy/faults")["timeline"]

    def throttling(self, on):
        """Switches AWS's request rate limits on or off; returns how many they refused."""
        return http("POST", self.endpoint + "/_plink/throttling", {"on": on})["refused"]

    def throttled(self):
        return http("GET", self.endpoint + "/_plink/throttling")["refused"]

    def failover(self, database):
        """Fails `database` over as RDS does; its events run the follower (in the emulator,
        synchronously, as a process of its own: Python's start-up and boto3's import count)."""
        return http("POST", self.endpoint + "/_plink/rds/failover", {"database": database})

    def fire_schedule(self, rule):
        return http("POST", self.endpoint + "/_plink/events/schedule", {"rule": rule})

    def stop(self):
        self.process.terminate()
        self.process.wait()


def environment(emulator, through_proxy=True):
    env = dict(os.environ, AWS_ENDPOINT_URL=emulator.proxy if through_proxy else emulator.endpoint,
               AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION, AWS_ACCESS_KEY_ID="bench",
               AWS_SECRET_ACCESS_KEY="bench", CI="true", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", AIRBYTE_PLINK_DNS_SERVER=emulator.dns,
               BENCH_AWS_CLI=os.path.join(os.path.dirname(sys.executable), "aws"))
    env.pop("AWS_PROFILE", None)
    return env


def setup_args(seed, name, open_group=True):
    args = ["setup", "--no-input", "--name", name, "--airbyte-region", "us", "--airbyte-account-id", AIRBYTE_ACCOUNT,
            "--target", seed["rds_endpoint"], "--port", str(seed["rds_port"]), "--vpc-id", seed["vpc_id"],
            "--subnets", ",".join(seed["private_subnets"][:2])]
    return args + (["--db-security-group", seed["db_security_group"]] if open_group else [])


def cli_setup_args(seed, name):
    return ["setup", name, seed["vpc_id"], ",".join(seed["private_subnets"][:2]), seed["db_security_group"],
            seed["rds_address"], str(seed["rds_port"]), f"arn:aws:iam::{AIRBYTE_ACCOUNT}:root", "us-east-1"]


def run(command, emulator, through_proxy=True):
    started = time.monotonic()
    done = subprocess.run(command, env=environment(emulator, through_proxy), capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode not in (0, 3):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return wall, done.stderr


def waited(stderr):
    """Seconds spent in waits for AWS state, from the tool's plain progress lines."""
    starts, total = {}, 0.0
    for match in re.finditer(r"\[\s*([\d.]+)s\] (start|done |FAIL ) (wait for [^\n(]*)", stderr):
        at, event, step = float(match.group(1)), match.group(2).strip(), match.group(3).strip()
        if event == "start":
            starts[step] = at
        elif step in starts:
            total += at - starts.pop(step)
    return total


def polls(timeline):
    """The calls that wait for AWS state rather than do work: the load balancer's state,
    read after the first change (while it becomes active, or goes away), and a change
    AWS refused and the tool made again (a delete while the resource is still in use)."""
    waiting, changed = set(), False
    for i, call in enumerate(timeline):
        action = call["action"]
        mutating = not action.startswith(READS)
        if action == "DescribeLoadBalancers" and changed:
            waiting.add(i)
        if mutating and call["status"] >= 400 and any(c["action"] == action for c in timeline[i + 1:]):
            waiting.add(i)
        changed = changed or mutating
    return waiting


def critical_path(timeline):
    """The sequential round trips: the most calls of which each was sent only after the
    one before was answered (calls that overlap are one round trip, however many)."""
    count, free_at = 0, float("-inf")
    for call in sorted(timeline, key=lambda c: c["answered"]):
        if call["arrived"] >= free_at:
            count, free_at = count + 1, call["answered"]
    return count


def busy(timeline):
    """Seconds in which the emulator was working on at least one of these calls: it is one
    Python process and carries out one call at a time, where AWS would answer them side
    by side within the latency."""
    total, until = 0.0, float("-inf")
    for start, end in sorted(c["forwarded"] for c in timeline if c["forwarded"]):
        if end > until:
            total += end - max(start, until)
            until = end
    return total


def measure(command, emulator, latency, label):
    emulator.latency(latency)
    wall, stderr = run(command, emulator)
    timeline = sorted(emulator.timeline(), key=lambda c: c["arrived"])
    waiting = polls(timeline)
    working = [c for i, c in enumerate(timeline) if i not in waiting]
    wait, emulated = waited(stderr), busy(working)
    return {"what": label, "wall": wall, "wait": wait, "emulator": emulated, "calls": len(timeline),
            "mutating": sum(not c["action"].startswith(READS) for c in timeline), "trips": critical_path(working),
            "per_latency": (wall - wait - emulated) / (latency / 1000.0)}


def provisioned(command, emulator, latency, seconds, label):
    """Setup with a load balancer that takes `seconds` to become active: how long after
    it was ready the endpoint service was asked for, and how much was done meanwhile."""
    emulator.provisioning(seconds)
    try:
        row = measure(command, emulator, latency, label)
        timeline = emulator.timeline()
    finally:
        emulator.provisioning(0)
    created = next(c for c in timeline if c["action"] == "CreateLoadBalancer")
    active_at = created["forwarded"][1] + seconds
    service = next(c for c in timeline if c["action"] == "CreateVpcEndpointServiceConfiguration")
    meanwhile = [c for c in timeline if not c["action"].startswith(READS) and c is not created
                 and c["answered"] <= active_at]
    row.update(provisioning=seconds, late=service["arrived"] - active_at, meanwhile=len(meanwhile),
               polls=sum(c["action"] == "DescribeLoadBalancers" and c["arrived"] > created["arrived"]
                         for c in timeline))
    return row


def follow_a_failover(emulator, seed, tool):
    """Sets up the sample Aurora cluster (directly, unmeasured), fails it over, and times
    the follower's run on RDS's completion event, which registers the new writer's
    address. Then a scheduled run with nothing to change, and its calls."""
    args = setup_args(seed, "bench-aurora")
    args[args.index("--target") + 1] = seed["aurora_endpoint"]
    args[args.index("--port") + 1] = str(seed["aurora_port"])
    run(tool(*args), emulator, through_proxy=False)
    failover = emulator.failover("sample-aurora")
    moved = [i for i in failover["invocations"] if any("RegisterTargets" in c["action"] for c in i["calls"])]
    if not moved:
        sys.exit(f"no run of the follower registered the new writer: {failover}")
    # The run from its start to its answer: the new address was registered within it.
    to_registered = moved[-1]["duration_ms"] / 1000
    scheduled = emulator.fire_schedule("airbyte-plink-bench-aurora-schedule")["invocations"][0]
    calls = [c["action"] for c in scheduled["calls"]]
    run(tool("teardown", "--name", "bench-aurora", "--yes"), emulator, through_proxy=False)
    return {"to_registered": to_registered, "noop_calls": len(calls),
            "noop_mutating": sum(1 for c in calls if not c.startswith(READS))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--deployments", type=int, default=50)
    parser.add_argument("--provisioning-s", type=float, default=20,
                        help="how long a new load balancer takes to become active in the provisioning runs")
    parser.add_argument("--json", help="also write the results to this file as JSON")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    cli = os.path.join(ROOT, "scripts", "bench-awscli")
    latency = args.latency_ms
    tool = lambda *a: [binary, *a]  # noqa: E731

    emulator = Emulator(sys.executable)
    try:
        seed = emulator.seed
        # The baseline first, then removed (directly, unmeasured) so the tool starts
        # from the same seeded account.
        baseline = [
            measure([cli, *cli_setup_args(seed, "bench-cli")], emulator, latency, "setup from scratch"),
            measure([cli, "verify", "bench-cli"], emulator, latency, "verify"),
        ]
        run(tool("teardown", "--name", "bench-cli", "--yes"), emulator, through_proxy=False)
        waits = [provisioned([cli, *cli_setup_args(seed, "bench-cli")], emulator, latency, args.provisioning_s,
                             "AWS CLI script")]
        run(tool("teardown", "--name", "bench-cli", "--yes"), emulator, through_proxy=False)
        # The AWS CLI script makes no follower: the same work is setup with --no-follow.
        rows = [
            measure(tool(*setup_args(seed, "bench-nf"), "--no-follow"), emulator, latency,
                    "setup from scratch, --no-follow"),
        ]
        run(tool("teardown", "--name", "bench-nf", "--yes"), emulator, through_proxy=False)
        # Three databases behind one service: the Aurora cluster and the MySQL instance
        # beside the RDS instance, then the MySQL one removed in place.
        aurora = f"aurora={seed['aurora_endpoint']}:{seed['aurora_port']}"
        mysql = f"mysql={seed['mysql_endpoint']}:{seed['mysql_port']}@3307"
        three = setup_args(seed, "bench-three") + ["--database", aurora, "--database", mysql]
        rows += [
            measure(tool(*three), emulator, latency, "setup from scratch, three databases"),
            measure(tool(*three), emulator, latency, "setup re-run (converged), three databases"),
            measure(tool("verify", "--name", "bench-three"), emulator, latency, "verify, three databases"),
            measure(tool(*three[:-2]), emulator, latency, "setup, one of three databases removed"),
        ]
        run(tool("teardown", "--name", "bench-three", "--yes"), emulator, through_proxy=False)
        rows += [
            measure(tool(*setup_args(seed, "bench-db")), emulator, latency, "setup from scratch"),
            measure(tool(*setup_args(seed, "bench-db")), emulator, latency, "setup re-run (converged)"),
            measure(tool("verify", "--name", "bench-db"), emulator, latency, "verify"),
        ]
        # More deployments for status --all, made directly (no latency) to save time;
        # without the security group rule, which one source can share with only so many.
        for i in range(1, args.deployments):
            run(tool(*setup_args(seed, f"bench-db-{i}", open_group=False)), emulator, through_proxy=False)
        rows.append(measure(tool("status", "--all"), emulator, latency,
                            f"status --all ({args.deployments} deployments)"))
        # The same under AWS's request rate limits, which the SDK's retries absorb.
        emulator.throttling(True)
        try:
            row = measure(tool("status", "--all"), emulator, latency,
                          f"status --all ({args.deployments} deployments), AWS's rate limits on")
            row["throttled"] = emulator.throttled()
        finally:
            emulator.throttling(False)
        rows.append(row)
        rows.append(measure(tool("teardown", "--name", "bench-db", "--yes"), emulator, latency, "teardown"))
        follower = follow_a_failover(emulator, seed, tool)
        waits.insert(0, provisioned(tool(*setup_args(seed, "bench-db")), emulator, latency, args.provisioning_s,
                                    "airbyte-plink"))

        size = os.path.getsize(binary) / 1e6
        startups = []
        for _ in range(30):
            started = time.perf_counter()
            subprocess.run([binary, "--version"], capture_output=True, check=True)
            startups.append((time.perf_counter() - started) * 1000)
    finally:
        emulator.stop()

    if args.json:
        with open(args.json, "w") as out:
            json.dump({"latency_ms": latency, "binary_mb": size, "version_ms": statistics.median(startups),
                       "tool": rows, "awscli": baseline, "provisioning": waits, "follower": follower}, out, indent=2)
    print(f"Latency {latency} ms per call (proxy); release binary {size:.1f} MB; "
          f"`--version` median {statistics.median(startups):.1f} ms over {len(startups)} runs.\n")
    print("airbyte-plink:\n")
    print("| what | wall (s) | waiting for AWS state (s) | emulator working (s) | API calls | mutating "
          "| sequential round trips | (wall − waiting − emulator) ÷ latency |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['what']} | {r['wall']:.2f} | {r['wait']:.2f} | {r['emulator']:.2f} | {r['calls']} "
              f"| {r['mutating']} | {r['trips']} | {r['per_latency']:.1f} |")
    for r in rows:
        if "throttled" in r:
            print(f"\n{r['what']}: AWS's limits refused {r['throttled']} of its {r['calls']} calls; "
                  "the SDK's retries carried them out.")
    print("\nThe same work as a script of AWS CLI calls (scripts/bench-awscli):\n")
    print("| what | wall (s) | API calls | mutating | sequential round trips | airbyte-plink is faster by |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    ours = {r["what"]: r for r in rows}
    ours["setup from scratch"] = ours["setup from scratch, --no-follow"]
    for r in baseline:
        ratio = r["wall"] / ours[r["what"]]["wall"]
        print(f"| {r['what']} | {r['wall']:.2f} | {r['calls']} | {r['mutating']} | {r['trips']} | {ratio:.1f}× |")
    print(f"\nSetup from scratch with a load balancer that takes {args.provisioning_s:g} s to become active:\n")
    print("| who | wall (s) | polls of its state | other changes made while it provisioned "
          "| service asked for, after it was active (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in waits:
        print(f"| {r['what']} | {r['wall']:.2f} | {r['polls']} | {r['meanwhile']} | {r['late']:.2f} |")
    print("\nThe follower, in the emulator (an Aurora failover; the handler run as a local process):\n")
    print("| what | value |")
    print("| --- | ---: |")
    print(f"| failover's completion event → new writer registered (s) | {follower['to_registered']:.2f} |")
    print(f"| calls of a scheduled run with nothing to change | {follower['noop_calls']} "
          f"({follower['noop_mutating']} mutating) |")


if __name__ == "__main__":
    main()
