#!/bin/sh
# Seeds the corpus of each fuzz target from the committed fixtures: the
# damaged files of tests/fixtures/bad-input and the records of
# examples/isms-repo, each in the shape its target reads.
#
#   fuzz/seed-corpus.sh [TARGET...]      (default: yaml loader manifest git)
#
# Corpora go to fuzz/corpus/<target>/ (not committed); seeds already there
# are kept, so a corpus grown by earlier runs is only added to.
set -eu
cd "$(dirname "$0")/.."

files() {
    find tests/fixtures/bad-input examples/isms-repo -type f \
        \( -name '*.yaml' -o -name '*.md' \) ! -name README.md | LC_ALL=C sort
}

# A name for a seed: its source path, flattened.
name() {
    printf '%s' "$1" | tr '/' '_'
}

# The loader's first byte picks where the record lives (see
# fuzz_targets/loader.rs): 0 risks/, 1 actions/, 2 audits/ (YAML),
# 3 a Markdown document, 4 soa.yaml, 5 waivers.yaml.
place() {
    case "$1" in
        *.md) echo 3 ;;
        */soa.yaml) echo 4 ;;
        *waivers*) echo 5 ;;
        */actions/*) echo 1 ;;
        */audits/*) echo 2 ;;
        *) echo 0 ;;
    esac
}

seed_yaml() {
    mkdir -p fuzz/corpus/yaml
    files | while read -r f; do cp "$f" "fuzz/corpus/yaml/$(name "$f")"; done
}

seed_loader() {
    mkdir -p fuzz/corpus/loader
    files | while read -r f; do
        out="fuzz/corpus/loader/$(name "$f")"
        printf "\\$(place "$f")" >"$out"
        cat "$f" >>"$out"
    done
}

seed_manifest() {
    mkdir -p fuzz/corpus/manifest
    for f in examples/isms-repo/isms.yaml tests/fixtures/bad-input/isms.yaml; do
        cp "$f" "fuzz/corpus/manifest/$(name "$f")"
    done
    # Every `lint` setting, and waivers.
    cat >fuzz/corpus/manifest/settings.yaml <<'EOF'
organisation:
  name: Fuzz Ltd
standards: [iso27001:2022]
waivers-file: waivers.yaml
lint:
  horizon: 30 days
  fail-on: warning
  exclude: ["drafts/**"]
  max-file-size: 1MiB
  rules:
    risk-owner-missing: off
    risk-review-overdue:
      severity: warning
      horizon: 14 days
waivers:
  - rule: risk-owner-missing
    target: RISK-1
    reason: Owner named next week
    owner: CISO
    expires: 2025-07-31
EOF
}

# The git target reads entries separated by NUL, each a mode byte (0 file,
# 1 executable, 2 link, 3 submodule), the path, a newline and the content.
seed_git() {
    mkdir -p fuzz/corpus/git
    files | while read -r f; do
        rel=${f#examples/isms-repo/}
        rel=${rel#tests/fixtures/bad-input/}
        out="fuzz/corpus/git/$(name "$f")"
        printf '\000%s\n' "$rel" >"$out"
        cat "$f" >>"$out"
    done
    # A link to the manifest, an executable record and a submodule beside a record.
    printf '\000risks/r.yaml\nkind: risk\nid: RISK-1\ntitle: T\n\000\002risks/link.yaml\n../isms.yaml\000\001risks/x.yaml\nkind: risk\n\000\003vendor/sub\n' \
        >fuzz/corpus/git/modes
}

targets=${*:-yaml loader manifest git}
for t in $targets; do
    "seed_$t"
    echo "fuzz/corpus/$t: $(find "fuzz/corpus/$t" -type f | wc -l) seeds"
done
