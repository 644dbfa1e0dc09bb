"""The benchmark behind scripts/bench (see there). Runs the release binary through the
emulator's fault proxy with added latency and reads the emulator's request log."""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-west-2"
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
        http("POST", self.proxy + "/_proxy/faults", {"latency_ms": ms})

    def clear(self):
        http("DELETE", self.endpoint + "/_plink/requests")

    def calls(self):
        return [r["action"] for r in http("GET", self.endpoint + "/_plink/requests")]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def setup_args(seed, name, open_group=True):
    args = ["setup", "--no-input", "--name", name, "--airbyte-region", "us", "--airbyte-account-id", "111122223333",
            "--target", seed["rds_endpoint"], "--port", str(seed["rds_port"]), "--vpc-id", seed["vpc_id"],
            "--subnets", ",".join(seed["private_subnets"][:2])]
    return args + (["--db-security-group", seed["db_security_group"]] if open_group else [])


def run(binary, emulator, args, through_proxy=True):
    env = dict(os.environ, AWS_ENDPOINT_URL=emulator.proxy if through_proxy else emulator.endpoint,
               AWS_REGION=REGION, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", CI="true",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AIRBYTE_PLINK_DNS_SERVER=emulator.dns)
    env.pop("AWS_PROFILE", None)
    started = time.monotonic()
    done = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode not in (0, 3):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return wall, done.stderr


def waited(stderr):
    """Seconds spent in waits for AWS state, from the plain progress lines."""
    starts, total = {}, 0.0
    for match in re.finditer(r"\[\s*([\d.]+)s\] (start|done |FAIL ) (wait for [^\n(]*)", stderr):
        at, event, step = float(match.group(1)), match.group(2).strip(), match.group(3).strip()
        if event == "start":
            starts[step] = at
        elif step in starts:
            total += at - starts.pop(step)
    return total


def measure(binary, emulator, label, args, latency):
    emulator.clear()
    wall, stderr = run(binary, emulator, args)
    calls = emulator.calls()
    mutating = [c for c in calls if not c.startswith(READS)]
    wait = waited(stderr)
    trips = (wall - wait) / (latency / 1000.0)
    return {"what": label, "wall": wall, "wait": wait, "calls": len(calls), "mutating": len(mutating), "trips": trips}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--deployments", type=int, default=50)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    python = sys.executable

    emulator = Emulator(python)
    try:
        emulator.latency(args.latency_ms)
        seed = emulator.seed
        rows = [
            measure(binary, emulator, "setup from scratch", setup_args(seed, "bench-db"), args.latency_ms),
            measure(binary, emulator, "setup re-run (converged)", setup_args(seed, "bench-db"), args.latency_ms),
            measure(binary, emulator, "verify", ["verify", "--name", "bench-db"], args.latency_ms),
        ]
        # More deployments for status --all, made directly (no latency) to save time.
        for i in range(1, args.deployments):
            run(binary, emulator, setup_args(seed, f"bench-db-{i}", open_group=False), through_proxy=False)
        rows.append(measure(binary, emulator, f"status --all ({args.deployments} deployments)",
                            ["status", "--all"], args.latency_ms))
        rows.append(measure(binary, emulator, "teardown", ["teardown", "--name", "bench-db", "--yes"],
                            args.latency_ms))

        size = os.path.getsize(binary) / 1e6
        startups = []
        for _ in range(30):
            started = time.perf_counter()
            subprocess.run([binary, "--version"], capture_output=True, check=True)
            startups.append((time.perf_counter() - started) * 1000)
    finally:
        emulator.stop()

    print(f"Latency {args.latency_ms} ms per call (proxy); release binary {size:.1f} MB; "
          f"`--version` median {statistics.median(startups):.1f} ms over {len(startups)} runs.\n")
    print("| what | wall (s) | waiting for AWS state (s) | API calls | mutating | sequential round trips |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['what']} | {r['wall']:.2f} | {r['wait']:.2f} | {r['calls']} | {r['mutating']} | {r['trips']:.1f} |")


if __name__ == "__main__":
    main()
