#!/usr/bin/env bash
# Supply-chain and text lints:
#  1. cargo-deny: licences, banned and duplicate crates, sources, and (where the
#     advisory database can be fetched) security advisories (deny.toml);
#  2. typos on the whole repository (_typos.toml);
#  3. the declared rust-version against what the locked dependencies need;
#  4. CHANGELOG.md parses as the release workflow reads it.
#
# Installs what it needs, pinned, if it is missing: cargo-deny with
# `cargo install` (into ~/.cargo/bin, kept between runs), typos from PyPI (its
# wheel holds the binary) into the CI tools cache shared with
# .ci/ci-integrations.sh: $ISMS_LINT_CI_TOOLS, else ~/.cache/isms-lint-ci.
#
# Advisories need the RustSec database from the network: they are checked in
# GitHub CI (GITHUB_ACTIONS=true) or when ISMS_LINT_ADVISORIES=1.
set -euo pipefail
cd "$(dirname "$0")/.."

tools="${ISMS_LINT_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/isms-lint-ci}"
deny_version=0.20.2
typos_version=1.52.0

step() { printf '\n== %s (at %ss)\n' "$*" "$SECONDS"; }

step "tools"
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
deny="$cargo_bin/cargo-deny"
if ! "$deny" --version 2> /dev/null | grep -qx "cargo-deny $deny_version"; then
  cargo install --locked --quiet "cargo-deny@$deny_version"
fi
"$deny" --version
typos="$tools/venv/bin/typos"
if ! "$typos" --version 2> /dev/null | grep -qx "typos-cli $typos_version"; then
  [ -x "$tools/venv/bin/pip" ] || python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "typos==$typos_version"
fi
"$typos" --version

if [ "${GITHUB_ACTIONS:-}" = true ] || [ "${ISMS_LINT_ADVISORIES:-}" = 1 ]; then
  step "cargo deny check (advisories, bans, licenses, sources)"
  "$deny" --locked check
else
  step "cargo deny check bans licenses sources (advisories: in GitHub CI)"
  "$deny" --locked --offline check bans licenses sources
fi

step "typos"
"$typos" --format brief
echo "typos: none found"

step "minimum supported Rust version"
python3 .ci/msrv_check.py

step "CHANGELOG.md (the release workflow reads it)"
python3 .ci/changelog.py self-test

echo
echo "lints: all checks passed in ${SECONDS}s"
