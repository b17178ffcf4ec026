"""Run shellcheck on every `run:` script of a GitHub Action or workflow file.

Usage: python shellcheck_yaml.py [--shellcheck PATH] FILE...
       python shellcheck_yaml.py --self-test [--shellcheck PATH]

Each script is checked as the shell its step names (`shell:`, else the job's
or the workflow's `defaults.run.shell`, else bash, as GitHub does on Linux and
macOS). A `${{ ... }}` expression is replaced by a variable, as if its value
came from the environment, so that shellcheck still sees how it is quoted.
Steps run by PowerShell, cmd or Python, and jobs that run only on Windows
without a shell named, are not shell scripts and are skipped. Problems are
reported at their line in the YAML file. Exits 1 if any script has one.

Needs PyYAML (pre-commit brings it) and shellcheck.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)
PLACEHOLDER = "${GITHUB_EXPRESSION}"
NOT_SHELL = ("pwsh", "powershell", "cmd", "python")


def mapping(node):
    """A YAML mapping node as a dict of key string to value node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def shell_of(*nodes):
    """The first `shell` named, from the step outwards."""
    for n in nodes:
        if n is not None and scalar(n):
            return scalar(n)
    return None


def run_shell(node):
    """The `defaults.run.shell` of a job or workflow."""
    return mapping(mapping(mapping(node).get("defaults")).get("run")).get("shell")


def windows_only(job):
    runs_on = mapping(job).get("runs-on")
    labels = []
    if isinstance(runs_on, yaml.ScalarNode):
        labels = [runs_on.value]
    elif isinstance(runs_on, yaml.SequenceNode):
        labels = [scalar(n) or "" for n in runs_on.value]
    return bool(labels) and all(l.startswith("windows") for l in labels)


def scripts(path):
    """(name, shell, first line in the file, script text) for each run step."""
    with open(path, encoding="utf-8") as f:
        root = yaml.compose(f)
    top = mapping(root)
    found = []

    def steps(seq, where, shell_defaults, skip_unnamed):
        if not isinstance(seq, yaml.SequenceNode):
            return
        for i, step in enumerate(seq.value):
            s = mapping(step)
            run = s.get("run")
            if not isinstance(run, yaml.ScalarNode):
                continue
            name = scalar(s.get("name")) or scalar(s.get("id")) or f"step {i + 1}"
            shell = shell_of(s.get("shell"), *shell_defaults)
            if shell is None and skip_unnamed:
                continue
            shell = shell or "bash"
            if shell.split()[0] in NOT_SHELL:
                continue
            # A block scalar's text starts on the line after `run: |`.
            block = run.style in ("|", ">")
            first = run.start_mark.line + (2 if block else 1)
            found.append((f"{where}: {name}", shell, first, run.value))

    if "runs" in top:  # an action
        steps(mapping(top["runs"]).get("steps"), "action", (), False)
    for job_id, job in mapping(top.get("jobs")).items():
        steps(
            mapping(job).get("steps"),
            f"job {job_id}",
            (run_shell(job), run_shell(root)),
            windows_only(job),
        )
    return found


def dialect(shell):
    word = os.path.basename(shell.split()[0])
    return "sh" if word == "sh" else "bash"


def check(paths, shellcheck):
    problems = 0
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            for name, shell, first, text in scripts(path):
                count += 1
                script = os.path.join(tmp, f"script-{count}.sh")
                body = EXPRESSION.sub(PLACEHOLDER, text)
                with open(script, "w", encoding="utf-8") as f:
                    f.write(body)
                out = subprocess.run(
                    [shellcheck, "--format=gcc", f"--shell={dialect(shell)}", script],
                    capture_output=True,
                    text=True,
                )
                syntax = subprocess.run(
                    [dialect(shell), "-n", script], capture_output=True, text=True
                )
                lines = []
                for line in out.stdout.splitlines():
                    m = re.match(r"^[^:]+:(\d+):(\d+): (.*)$", line)
                    if m:
                        at = first + int(m.group(1)) - 1
                        lines.append(f"{path}:{at}:{m.group(2)}: {m.group(3)}")
                    else:
                        lines.append(line)
                if syntax.returncode != 0:
                    for line in syntax.stderr.splitlines():
                        lines.append(f"{path} ({name}): {dialect(shell)} -n: {line}")
                if out.returncode != 0 or syntax.returncode != 0:
                    problems += 1
                    print(f"{path}: {name}: shellcheck found problems")
                    for line in lines or [out.stderr.strip()]:
                        print(f"  {line}")
                else:
                    print(f"{path}: {name}: clean ({shell})")
    if count == 0:
        print("no run: scripts found", file=sys.stderr)
        return 2
    print(f"{count} scripts checked, {problems} with problems")
    return 1 if problems else 0


BROKEN = """\
name: control
runs:
  using: composite
  steps:
    - name: an apostrophe inside a default value
      shell: bash
      env:
        REF: ${{ github.action_ref }}
      run: |
        set -euo pipefail
        echo "installed from ${REF:-the action's source}"
    - name: an unquoted expression
      shell: bash
      run: cp ${{ inputs.file }} out
"""

SOUND = """\
name: control
on: push
jobs:
  a:
    runs-on: windows-latest
    steps:
      - run: Write-Output $env:X | Out-Null
      - shell: bash
        run: echo "${{ github.ref }}"
"""


def self_test(shellcheck):
    """The checker must reject broken scripts and accept sound ones."""
    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, "broken.yml")
        sound = os.path.join(tmp, "sound.yml")
        with open(broken, "w", encoding="utf-8") as f:
            f.write(BROKEN)
        with open(sound, "w", encoding="utf-8") as f:
            f.write(SOUND)
        found = scripts(broken)
        assert [f[2] for f in found] == [10, 14], found
        assert [f[0] for f in scripts(sound)] == ["job a: step 2"], scripts(sound)
        out = subprocess.run(
            [sys.executable, __file__, "--shellcheck", shellcheck, broken],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 1, out
        assert f"{broken}:11:" in out.stdout, out.stdout
        assert "SC2086" in out.stdout, out.stdout
        assert check([sound], shellcheck) == 0
    print("control: broken scripts are rejected at their lines, sound ones pass")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shellcheck", default=shutil.which("shellcheck") or "shellcheck")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.self_test:
        return self_test(args.shellcheck)
    if not args.files:
        parser.error("no files given")
    return check(args.files, args.shellcheck)


if __name__ == "__main__":
    sys.exit(main())
