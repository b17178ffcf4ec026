"""Run the steps of action.yml as GitHub runs a composite action's bash steps.

Usage: python3 .ci/action_test.py [BINARY]
  BINARY: the built isms-lint (default: target/debug/isms-lint).

Each `run:` script is written to a file and run as
`bash --noprofile --norc -eo pipefail FILE`, in a scratch GITHUB_WORKSPACE,
with GITHUB_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, RUNNER_OS
and RUNNER_ARCH set as on a Linux x86_64 runner, the step's `env:` with its
`${{ ... }}` expressions evaluated (inputs, github, steps' outputs), and the
directories added to GITHUB_PATH put in front of PATH for the later steps. A
failing step skips the rest, as on GitHub.

The check step runs the real binary on examples/isms-repo and on a broken
repository. The install step's download and `cargo install` paths run
against stand-ins for curl and cargo (no network), with an archive made by
the Package step of .github/workflows/release.yml, so that the names the
action downloads are the names a release publishes.

Python 3 standard library only: action.yml and release.yml are read by the
small YAML reader below, which knows the subset these files use.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# --- A reader for the YAML these files use --------------------------------
# Block mappings and sequences, block scalars (| and >, with - or +), plain,
# single- and double-quoted scalars, flow sequences of scalars, comments.


def _strip_comment(text):
    out, quote = [], None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'" and (i == 0 or text[i - 1] in " [,:"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] == " "):
            break
        out.append(c)
    return "".join(out).rstrip()


def _scalar(text):
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith("["):
        inner = text[1:-1].strip()
        return [_scalar(p) for p in inner.split(",")] if inner else []
    if text in ("", "~", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _blank(line):
    s = line.strip()
    return not s or s.startswith("#")


class _Reader:
    def __init__(self, text):
        self.lines = text.splitlines()
        self.i = 0

    def skip(self):
        while self.i < len(self.lines) and _blank(self.lines[self.i]):
            self.i += 1

    def node(self, indent):
        """The block node whose lines are indented by `indent`."""
        self.skip()
        line = self.lines[self.i]
        if line.lstrip().startswith("- ") or line.strip() == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def sequence(self, indent):
        items = []
        while True:
            self.skip()
            if self.i >= len(self.lines):
                return items
            line = self.lines[self.i]
            if _indent(line) != indent or not line.lstrip().startswith("-"):
                return items
            rest = line.strip()[1:].lstrip()
            if not rest:
                self.i += 1
                items.append(self.node(_indent(self.lines[self.i])))
            elif re.match(r"^[\w.-]+:( |$)", rest):
                # "- key: value": a mapping indented past the dash.
                inner = indent + (len(line.strip()) - len(rest))
                self.lines[self.i] = " " * inner + rest
                items.append(self.mapping(inner))
            else:
                self.i += 1
                items.append(_scalar(_strip_comment(rest)))

    def mapping(self, indent):
        result = {}
        while True:
            self.skip()
            if self.i >= len(self.lines):
                return result
            line = self.lines[self.i]
            if _indent(line) != indent or line.lstrip().startswith("- "):
                if _indent(line) > indent:
                    raise ValueError(f"line {self.i + 1}: unexpected indentation")
                return result
            m = re.match(r"^ *([^\s:][^:]*?):(?: +(.*))?$", line)
            if not m:
                raise ValueError(f"line {self.i + 1}: not a mapping entry: {line!r}")
            key, rest = m.group(1), _strip_comment(m.group(2) or "")
            self.i += 1
            if rest[:1] in ("|", ">"):
                result[key] = self.block_scalar(indent, rest)
            elif rest:
                result[key] = _scalar(rest)
            else:
                self.skip()
                nxt = self.lines[self.i] if self.i < len(self.lines) else ""
                if self.i < len(self.lines) and (
                    _indent(nxt) > indent
                    or (_indent(nxt) == indent and nxt.lstrip().startswith("- "))
                ):
                    result[key] = self.node(_indent(nxt))
                else:
                    result[key] = None

    def block_scalar(self, indent, header):
        body = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() and _indent(line) <= indent:
                break
            body.append(line)
            self.i += 1
        while body and not body[-1].strip():
            body.pop()
        width = min((_indent(l) for l in body if l.strip()), default=0)
        body = [l[width:] for l in body]
        if header.startswith(">"):
            text, para = [], []
            for l in body:
                if l.strip():
                    para.append(l)
                else:
                    text.append(" ".join(para))
                    para = []
            text.append(" ".join(para))
            value = "\n".join(text)
        else:
            value = "\n".join(body)
        return value if "-" in header else value + "\n"


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    value = _Reader(text).node(0)
    try:  # Where PyYAML is at hand, the reader must agree with it.
        import yaml  # noqa: PLC0415

        expected = yaml.load(text, Loader=yaml.BaseLoader)
        if _stringify(value) != expected:
            raise AssertionError(f"the YAML reader misreads {path}")
    except ImportError:
        pass
    return value


def _stringify(v):
    """Values as YAML's base loader gives them: every scalar a string."""
    if isinstance(v, dict):
        return {k: _stringify(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_stringify(x) for x in v]
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# --- Running steps as GitHub does -----------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text, context):
    """Substitute `${{ a.b.c }}` lookups; anything else is not supported."""

    def one(m):
        expr = m.group(1)
        if not re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*", expr):
            raise ValueError(f"unsupported expression: {expr}")
        value = context
        for part in expr.split("."):
            if not isinstance(value, dict):
                return ""
            value = value.get(part, "")
        return "" if value is None else str(value)

    return EXPRESSION.sub(one, text) if isinstance(text, str) else str(text)


def read_outputs(path):
    """GITHUB_OUTPUT's `name=value` and `name<<DELIMITER` forms."""
    outputs = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            end = lines.index(m.group(2), i + 1)
            outputs[m.group(1)] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if "=" in line:
            k, v = line.split("=", 1)
            outputs[k] = v
        i += 1
    return outputs


class Run:
    """One job's worth of runner state: workspace, temp, PATH, step outputs."""

    def __init__(self, scratch, path_prefix=(), github=None, extra_env=None):
        self.dir = tempfile.mkdtemp(dir=scratch)
        self.workspace = os.path.join(self.dir, "workspace")
        self.temp = os.path.join(self.dir, "runner-temp")
        os.makedirs(self.workspace)
        os.makedirs(self.temp)
        self.path = list(path_prefix) + os.environ["PATH"].split(os.pathsep)
        self.github = {"workspace": self.workspace, "action_ref": "", "ref_name": ""}
        self.github.update(github or {})
        self.extra_env = extra_env or {}
        self.steps = {}
        self.log = []
        self.summary = ""

    def step(self, step, context, n):
        script = os.path.join(self.temp, f"step-{n}.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(evaluate(step["run"], context))
        output = os.path.join(self.temp, f"output-{n}")
        summary = os.path.join(self.temp, f"summary-{n}")
        github_path = os.path.join(self.temp, f"path-{n}")
        for p in (output, summary, github_path):
            open(p, "w").close()
        env = {
            "HOME": os.environ.get("HOME", self.dir),
            "LANG": "C.UTF-8",
            "PATH": os.pathsep.join(self.path),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": self.workspace,
            "GITHUB_OUTPUT": output,
            "GITHUB_STEP_SUMMARY": summary,
            "GITHUB_PATH": github_path,
            "GITHUB_ACTION_PATH": self.github.get("action_path", ""),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_TEMP": self.temp,
        }
        for name in ("CARGO_HOME", "RUSTUP_HOME"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(self.extra_env)
        for k, v in (step.get("env") or {}).items():
            env[k] = evaluate(v, context)
        shell = step.get("shell", "bash")
        if shell != "bash":
            raise ValueError(f"step {step.get('name')}: shell {shell} is not run here")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=os.path.join(self.workspace, step.get("working-directory", "")),
            env=env,
            capture_output=True,
            text=True,
        )
        with open(github_path, encoding="utf-8") as f:
            added = [l for l in f.read().splitlines() if l]
        # GitHub puts the newest addition first.
        self.path = list(reversed(added)) + self.path
        with open(summary, encoding="utf-8") as f:
            self.summary += f.read()
        outputs = read_outputs(output)
        if step.get("id"):
            self.steps[step["id"]] = {"outputs": outputs, "conclusion": proc.returncode}
        result = {
            "name": step.get("name"),
            "code": proc.returncode,
            "stdout": proc.stdout,
            "stderr": proc.stderr,
            "outputs": outputs,
            "path": added,
        }
        self.log.append(result)
        return result

    def action(self, inputs):
        """Run action.yml with these inputs; returns (steps run, outputs)."""
        action = load_yaml(os.path.join(REPO, "action.yml"))
        values = {k: (v.get("default") or "") for k, v in action["inputs"].items()}
        unknown = set(inputs) - set(values)
        if unknown:
            raise ValueError(f"action.yml has no input {sorted(unknown)}")
        values.update(inputs)
        self.github.setdefault("action_path", REPO)
        results = []
        for n, step in enumerate(action["runs"]["steps"]):
            if "if" in step:
                raise ValueError(f"step {step.get('name')}: `if:` is not supported here")
            context = {"inputs": values, "github": self.github, "steps": self.steps}
            results.append(self.step(step, context, n))
            if results[-1]["code"] != 0:
                break
        context = {"inputs": values, "github": self.github, "steps": self.steps}
        outputs = {k: evaluate(v["value"], context) for k, v in action["outputs"].items()}
        return results, outputs

    def workflow_step(self, workflow, job, name, matrix):
        wf = load_yaml(os.path.join(REPO, ".github", "workflows", workflow))
        steps = [s for s in wf["jobs"][job]["steps"] if s.get("name") == name]
        if len(steps) != 1:
            raise ValueError(f"{workflow}: job {job} has no single step named {name}")
        context = {"github": self.github, "matrix": matrix, "steps": self.steps}
        return self.step(steps[0], context, f"{job}-{len(self.log)}")


# --- The tests -------------------------------------------------------------

failures = []


def expect(cond, what, result=None):
    if cond:
        print(f"  ok: {what}")
        return
    failures.append(what)
    print(f"  FAILED: {what}")
    if result:
        for key in ("stdout", "stderr"):
            if result.get(key):
                print(f"    {key}:\n" + "\n".join("      " + l for l in result[key].splitlines()[-30:]))


def shim(directory, name, body):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/usr/bin/env bash\n" + body)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def stand_ins(scratch):
    """curl serving files of $FAKE_RELEASES by name, cargo installing a stub;
    both log their arguments to $FAKE_LOG."""
    d = os.path.join(scratch, "stand-ins")
    shim(
        d,
        "curl",
        """set -eu
out="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    --retry) shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
echo "curl $url" >> "$FAKE_LOG"
file="$FAKE_RELEASES/${url##*/}"
[ -f "$file" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
cp "$file" "$out"
""",
    )
    shim(
        d,
        "cargo",
        """set -eu
echo "cargo $*" >> "$FAKE_LOG"
root=""
prev=""
for a in "$@"; do
  if [ "$prev" = --root ]; then root="$a"; fi
  prev="$a"
done
mkdir -p "$root/bin"
cp "$FAKE_BINARY" "$root/bin/isms-lint"
""",
    )
    return d


def stub_binary(scratch, version):
    """A stand-in for a release build: --version, completions SHELL, man --out DIR."""
    return shim(
        os.path.join(scratch, f"stub-{version}"),
        "isms-lint",
        f"""case "${{1:-}}" in
  --version) echo "isms-lint {version}" ;;
  completions) echo "# isms-lint completions for $2" ;;
  man) if [ "${{2:-}}" = --out ]; then mkdir -p "$3" && echo '.TH ISMS-LINT 1' > "$3/isms-lint.1"; else echo '.TH ISMS-LINT 1'; fi ;;
  *) exit 2 ;;
esac
""",
    )


def sarif(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def test_check(scratch, binary):
    print("the example, as the repository's own example job runs it")
    run = Run(scratch)
    os.symlink(os.path.join(REPO, "examples"), os.path.join(run.workspace, "examples"))
    steps, outputs = run.action(
        {
            "binary": binary,
            "path": "examples/isms-repo",
            "as-of": "2026-11-30",
            "fail-on": "warning",
            "category": "isms-lint-example",
        }
    )
    install, check = (steps + [None, None])[:2]
    expect(install["code"] == 0, "the install step exits 0", install)
    expect(len(install["path"]) == 1, "it adds one directory to GITHUB_PATH", install)
    expect(
        os.access(os.path.join(run.temp, "isms-lint-bin", "isms-lint"), os.X_OK),
        "the binary is in that directory",
    )
    expect(f"Installed isms-lint: the binary {binary}" in install["stdout"], "it says which binary", install)
    if check is None:
        return
    expect(check["code"] == 0, "the check step exits 0 on the example at 2026-11-30", check)
    expect(check["stdout"].startswith("isms-lint "), "it prints the version first", check)
    expect(
        check["outputs"] == {"exit-code": "0", "sarif-file": "isms-lint.sarif"},
        f"GITHUB_OUTPUT holds exit-code=0 and sarif-file (got {check['outputs']})",
    )
    expect(
        outputs == {"exit-code": "0", "sarif-file": "isms-lint.sarif"},
        f"the action's outputs are the step's (got {outputs})",
    )
    log = sarif(os.path.join(run.workspace, "isms-lint.sarif"))
    expect(log.get("version") == "2.1.0", "the SARIF file is SARIF 2.1.0")
    expect(
        log["runs"][0].get("automationDetails", {}).get("id", "").startswith("isms-lint-example"),
        "its automationDetails.id is the category",
    )
    expect("2026-11-30" in run.summary, "the job summary is written and names the day")

    print("the example years later: findings fail the step")
    run = Run(scratch)
    os.symlink(os.path.join(REPO, "examples"), os.path.join(run.workspace, "examples"))
    steps, outputs = run.action(
        {"binary": binary, "path": "examples/isms-repo", "as-of": "2029-01-01", "sarif-file": "out/findings.sarif"}
    )
    check = steps[-1]
    expect(len(steps) == 2, "both steps ran")
    expect(check["code"] == 1, "the check step exits 1", check)
    expect(check["outputs"].get("exit-code") == "1", "GITHUB_OUTPUT holds exit-code=1")
    expect(outputs["exit-code"] == "1", "so does the action's exit-code output")
    expect("::error file=examples/isms-repo/" in check["stdout"], "annotations name the files", check)
    expect("findings at or above the fail-on severity" in check["stdout"], "it says why it failed", check)
    sarif_path = os.path.join(run.workspace, "out", "findings.sarif")
    expect(os.path.isfile(sarif_path), "the SARIF file is where sarif-file says, directory made")
    if os.path.isfile(sarif_path):
        expect(len(sarif(sarif_path)["runs"][0]["results"]) > 0, "it holds the findings")
    expect("CA-2026-004" in run.summary.replace("\\", ""), "the job summary lists the findings (Markdown-escaped)")

    print("a broken manifest: exit 2")
    run = Run(scratch)
    os.makedirs(os.path.join(run.workspace, "isms"))
    with open(os.path.join(run.workspace, "isms", "isms.yaml"), "w", encoding="utf-8") as f:
        f.write("organisation: [\n")
    steps, outputs = run.action({"binary": binary, "path": "isms", "as-of": "2026-11-30"})
    check = steps[-1]
    expect(check["code"] == 2, "the check step exits 2", check)
    expect(outputs["exit-code"] == "2", "the action's exit-code output is 2")
    expect("could not check the repository (exit code 2)" in check["stdout"], "it says so", check)
    expect("isms.yaml" in check["stdout"] + check["stderr"], "the cause names the manifest", check)
    sarif_path = os.path.join(run.workspace, "isms-lint.sarif")
    expect(os.path.isfile(sarif_path), "a SARIF file is written on exit 2 too")
    if os.path.isfile(sarif_path):
        log = sarif(sarif_path)
        expect(log.get("version") == "2.1.0", "the SARIF file written is SARIF 2.1.0")
        invocation = log["runs"][0]["invocations"][0]
        expect(invocation["executionSuccessful"] is False, "it records the failed run")
        expect(len(log["runs"][0]["results"]) == 1, "it holds that one error")
    expect("could not" in run.summary.lower() or "failed" in run.summary.lower(),
           "the job summary says what failed")


def test_install(scratch):
    stand = stand_ins(scratch)
    releases = os.path.join(scratch, "releases")
    os.makedirs(releases)

    print("a release archive, made by release.yml's Package step")
    builder = Run(scratch, github={"ref_name": "v0.2.0"})
    target = "x86_64-unknown-linux-musl"
    built = os.path.join(builder.workspace, "target", target, "release")
    os.makedirs(built)
    shutil.copy(stub_binary(scratch, "0.2.0"), built)
    shutil.copy(os.path.join(REPO, "README.md"), builder.workspace)
    package = builder.workflow_step("release.yml", "build", "Package", {"target": target})
    archive = f"isms-lint-v0.2.0-{target}.tar.gz"
    expect(package["code"] == 0, "the Package step exits 0", package)
    expect(package["outputs"].get("archive") == f"dist/{archive}", "it names the archive the action downloads", package)
    listing = subprocess.run(
        ["tar", "-tzf", os.path.join(builder.workspace, "dist", archive)], capture_output=True, text=True
    ).stdout.split()
    top = f"isms-lint-v0.2.0-{target}/"
    expect(
        {top + "isms-lint", top + "README.md"} <= set(listing),
        f"the archive holds the binary and the README under {top} (got {listing})",
    )
    for name in (archive, archive + ".sha256"):
        src = os.path.join(builder.workspace, "dist", name)
        if os.path.isfile(src):
            shutil.copy(src, releases)

    count = [0]

    def install(inputs, github=None, binary_version="0.2.0"):
        count[0] += 1
        log = os.path.join(scratch, f"log-{count[0]}")
        open(log, "w").close()
        run = Run(
            scratch,
            path_prefix=[stand],
            github=github,
            extra_env={
                "FAKE_LOG": log,
                "FAKE_RELEASES": releases,
                "FAKE_BINARY": stub_binary(scratch, binary_version),
            },
        )
        steps, _ = run.action(inputs)
        with open(log, encoding="utf-8") as f:
            calls = f.read().splitlines()
        return run, steps[0], calls

    url = "https://github.com/isms-lint/isms-lint/releases/download/v0.2.0/" + archive
    print("version 0.2.0: the release archive, checked against its checksum")
    run, step, calls = install({"version": "v0.2.0"})
    expect(step["code"] == 0, "the install step exits 0", step)
    expect(calls == [f"curl {url}", f"curl {url}.sha256"], f"it downloads the archive and its checksum (got {calls})")
    expect(f"Installed isms-lint: release v0.2.0 ({target})" in step["stdout"], "it says so", step)
    installed = os.path.join(step["path"][0], "isms-lint") if step["path"] else ""
    expect(
        installed and subprocess.run([installed, "--version"], capture_output=True, text=True).stdout.strip()
        == "isms-lint 0.2.0",
        "the binary on GITHUB_PATH is the one from the archive",
    )

    print("the action used at a release tag: that version")
    run, step, calls = install({}, github={"action_ref": "v0.2.0"})
    expect(step["code"] == 0 and calls[:1] == [f"curl {url}"], f"it downloads v0.2.0 (got {calls})", step)

    print("a checksum that does not match: exit 2")
    with open(os.path.join(releases, archive + ".sha256"), "r+", encoding="utf-8") as f:
        good = f.read()
        f.seek(0)
        f.write("0" * 64 + good[64:])
    run, step, calls = install({"version": "0.2.0"})
    expect(step["code"] == 2, "the install step exits 2", step)
    expect(f"::error title=isms-lint::checksum mismatch for {archive}" in step["stdout"], "with an error annotation", step)
    expect(step["path"] == [], "and adds nothing to PATH")

    print("no release archive: cargo install at the tag")
    for name in os.listdir(releases):
        os.remove(os.path.join(releases, name))
    run, step, calls = install({"version": "0.2.0"})
    expect(step["code"] == 0, "the install step exits 0", step)
    expect(
        calls[-1] == f"cargo install --locked --root {root_of(run)} --git https://github.com/isms-lint/isms-lint --tag v0.2.0 isms-lint",
        f"it runs cargo install --git --tag v0.2.0 (got {calls[-1:]})",
    )
    expect("Installed isms-lint: cargo install v0.2.0" in step["stdout"], "it says so", step)

    print("no version, the action at a branch: cargo install of the action's source")
    run, step, calls = install({}, github={"action_ref": "main", "action_path": REPO})
    expect(step["code"] == 0, "the install step exits 0", step)
    expect(calls == [f"cargo install --locked --root {root_of(run)} --path {REPO}"], f"it builds the action's source (got {calls})")
    expect("Installed isms-lint: cargo install from main" in step["stdout"], "it names the ref", step)
    run, step, calls = install({}, github={"action_ref": "", "action_path": REPO})
    expect("cargo install from the source of this action" in step["stdout"], "and without a ref, says so", step)

    print("a binary input that names no file: exit 2")
    run, step, calls = install({"binary": "no/such/isms-lint"})
    expect(step["code"] == 2, "the install step exits 2", step)
    expect("::error title=isms-lint::the binary input names no file" in step["stdout"], "with an error annotation", step)
    expect(calls == [], "and downloads or builds nothing")


def root_of(run):
    return os.path.join(run.temp, "isms-lint-cargo")


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target", "debug", "isms-lint"))
    if not os.access(binary, os.X_OK):
        print(f"no isms-lint binary at {binary}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        test_check(scratch, binary)
        test_install(scratch)
    if failures:
        print(f"\naction test: {len(failures)} checks FAILED")
        return 1
    print("\naction test: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
