"""GitHub CI runs what .ci/run runs: each command of .ci/run appears, as it
is written there, in a `run:` script of .github/workflows/ci.yml.

Usage: python .ci/ci_parity.py   (needs PyYAML, which pre-commit brings)
"""

import os
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def commands(path):
    """The command lines of a shell script, less comments and set-up."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith(("set ", "cd ")):
                continue
            out.append(line)
    return out


def scripts(workflow):
    with open(workflow, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    for job_id, job in wf["jobs"].items():
        for step in job.get("steps", []):
            if "run" in step:
                yield job_id, [l.strip() for l in step["run"].splitlines()]


def main():
    run = os.path.join(REPO, ".ci", "run")
    workflow = os.path.join(REPO, ".github", "workflows", "ci.yml")
    found = {}
    for job_id, lines in scripts(workflow):
        for line in lines:
            found.setdefault(line, job_id)
    missing = []
    for command in commands(run):
        if command in found:
            print(f"  {command}  -> job {found[command]}")
        else:
            missing.append(command)
    if missing:
        print("GitHub CI does not run these commands of .ci/run:")
        for command in missing:
            print(f"  {command}")
        return 1
    print("GitHub CI runs every command of .ci/run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
