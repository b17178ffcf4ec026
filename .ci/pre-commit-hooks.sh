#!/usr/bin/env bash
# `pre-commit try-repo` with this repository's .pre-commit-hooks.yaml on
# scratch ISMS repositories: each hook must fail a commit that breaks a record
# and pass a sound repository.
#
# Usage: .ci/pre-commit-hooks.sh TOOLS_DIR SCRATCH_DIR
#   TOOLS_DIR holds venv/bin/pre-commit (see .ci/ci-integrations.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
tools="$1"
scratch="$2"
pre_commit="$tools/venv/bin/pre-commit"
bin_dir="${CARGO_TARGET_DIR:-$repo/target}/debug"
mkdir -p "$scratch"

# pre-commit's own store (clones and hook environments), kept between runs.
export PRE_COMMIT_HOME="$tools/pre-commit-home"
# The `language: rust` hook runs `cargo install` on a clone of this repository
# at HEAD (try-repo adds uncommitted changes as a shadow commit). Testing the
# hook's wiring needs no optimised binary: build fast, in a target directory
# kept between runs.
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_TARGET_DIR="$tools/pre-commit-target"

new_repo() {
  local dir="$1"
  git init -q "$dir"
  git -C "$dir" config user.name "isms-lint CI"
  git -C "$dir" config user.email "ci@isms-lint.invalid"
  git -C "$dir" config commit.gpgsign false
  # Dated today, as the hook checks as of today.
  "$bin_dir/isms-lint" init "$dir" --organisation "Scratch Ltd" 2> /dev/null
  git -C "$dir" add -A
  git -C "$dir" commit -q -m "Start the ISMS"
}

# try-repo HOOK DIR EXPECTED_EXIT [ARGS...]
try_repo() {
  local hook="$1" dir="$2" want="$3" code=0
  shift 3
  (cd "$dir" && PATH="$bin_dir:$PATH" "$pre_commit" try-repo "$repo" "$hook" "$@") \
    > "$scratch/out.txt" 2>&1 || code=$?
  if [ "$code" != "$want" ]; then
    cat "$scratch/out.txt"
    echo "FAILED: hook $hook on $(basename "$dir") exited $code, expected $want" >&2
    exit 1
  fi
  echo "hook $hook on $(basename "$dir"): exit $code, as expected"
}

sound="$scratch/sound"
broken="$scratch/broken"
new_repo "$sound"
new_repo "$broken"
# A commit in the making: a risk reviewed on a day that does not exist, staged.
sed -i.orig 's/^reviewed: .*/reviewed: 2025-02-30/' "$broken/risks/RISK-001.yaml"
rm "$broken/risks/RISK-001.yaml.orig"
git -C "$broken" add risks/RISK-001.yaml

for hook in isms-lint isms-lint-system; do
  try_repo "$hook" "$sound" 0 --all-files
  # Without --all-files pre-commit runs on the staged files, as on a commit.
  try_repo "$hook" "$broken" 1
  grep -q "invalid-date" "$scratch/out.txt" || {
    cat "$scratch/out.txt"
    echo "FAILED: the hook's output does not name the rule" >&2
    exit 1
  }
  grep -q "risks/RISK-001.yaml" "$scratch/out.txt" || {
    cat "$scratch/out.txt"
    echo "FAILED: the hook's output does not name the file" >&2
    exit 1
  }
done
echo "pre-commit hooks: the broken repository fails, the sound one passes"
