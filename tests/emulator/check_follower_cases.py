"""Checks the follower's rule (src/follower/follower.py, `reconcile`) against the cases
it shares with `sync-targets` (src/follower/cases.json): prints each mismatch and exits 1
if there is any.

    python tests/emulator/check_follower_cases.py [FOLLOWER.py]

With a path, checks that file instead: the inline code of an exported template, say.
"""

import importlib.util
import json
import sys
from pathlib import Path

FOLLOWER = Path(__file__).resolve().parents[2] / "src" / "follower"


def load_follower(path):
    spec = importlib.util.spec_from_file_location("follower", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(follower, case):
    """What is wrong with `reconcile` on this case (nothing: an empty list)."""
    try:
        register, deregister = follower.reconcile(case["registered"], case["resolved"], case["port"],
                                                  case["vpc_cidrs"])
    except Exception as e:
        return [] if case.get("refused") else [f"refused ({e}), expected a change"]
    if case.get("refused"):
        return [f"expected a refusal, got register {register}, deregister {deregister}"]
    return [f"{what}: expected {case[what]}, got {got}"
            for what, got in (("register", register), ("deregister", deregister)) if got != case[what]]


def main():
    follower = load_follower(sys.argv[1] if len(sys.argv) > 1 else FOLLOWER / "follower.py")
    cases = json.loads((FOLLOWER / "cases.json").read_text())
    failed = 0
    for case in cases:
        problems = check(follower, case)
        for problem in problems:
            print(f"FAIL {case['name']}: {problem}")
        failed += bool(problems)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
