"""Write the copy-and-paste YAML blocks of a doc page as complete files.

Usage: python doc_blocks.py DOC OUT_DIR [COMMIT]

COMMIT, if given, is written where the blocks say COMMIT_SHA, as a reader
does (pre-commit warns about a `rev:` that does not look like a commit).

Each ```yaml block of DOC is sorted by what it is:
  - a GitHub workflow (has `jobs:`): written as is to OUT_DIR/workflows/;
  - GitHub steps (a list whose items have `uses:` or `run:`): wrapped into a
    minimal workflow (`on: push`, one job with `runs-on` and these steps) in
    OUT_DIR/workflows/;
  - a pre-commit configuration (has `repos:`): written as is to
    OUT_DIR/pre-commit/;
  - pre-commit hooks (a list whose items have `id:`): wrapped into a
    configuration of this repository's hooks in OUT_DIR/pre-commit/;
  - an Azure DevOps pipeline (`steps:` whose items have `script:` or `task:`)
    or a GitLab CI job (a job with `script:`): not GitHub's or pre-commit's,
    checked by the Rust tests (tests/ci_docs.rs), not written.
A block that is none of these is an error: a new kind of block needs a check.
The blocks are wrapped as text, so comments and lines stay as written; each
file is named after the block's line in DOC. Prints one line per file.

Needs PyYAML (pre-commit brings it).
"""

import os
import re
import sys
import textwrap

import yaml

FENCE = re.compile(r"^```(\S*)\s*$")
WORKFLOW_HEAD = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
CONFIG_HEAD = (
    "repos:\n"
    "  - repo: https://github.com/isms-lint/isms-lint\n"
    "    rev: {commit}\n"
    "    hooks:\n"
)


def blocks(text):
    """(line of the opening fence, language, content) of each fenced block."""
    lang, start, body = None, 0, []
    for n, line in enumerate(text.splitlines(), 1):
        m = FENCE.match(line)
        if lang is None and m:
            lang, start, body = m.group(1), n, []
        elif lang is not None and line.strip() == "```":
            yield start, lang, "\n".join(body) + "\n"
            lang = None
        elif lang is not None:
            body.append(line)
    if lang is not None:
        sys.exit(f"unclosed block at line {start}")


def items_with(doc, *keys):
    return (
        isinstance(doc, list)
        and doc
        and all(isinstance(i, dict) and any(k in i for k in keys) for i in doc)
    )


def kind(doc):
    if isinstance(doc, dict) and "jobs" in doc:
        return "workflow"
    if isinstance(doc, dict) and "repos" in doc:
        return "pre-commit-config"
    if items_with(doc, "uses", "run"):
        return "steps"
    if items_with(doc, "id"):
        return "hooks"
    if isinstance(doc, dict) and items_with(doc.get("steps"), "script", "task"):
        return "azure"
    if (
        isinstance(doc, dict)
        and doc
        and all(isinstance(j, dict) and "script" in j for j in doc.values())
    ):
        return "gitlab"
    return None


def wrap(head, block, indent):
    return head + textwrap.indent(textwrap.dedent(block), " " * indent)


def main():
    doc, out = sys.argv[1], sys.argv[2]
    text = open(doc, encoding="utf-8").read()
    if len(sys.argv) > 3:
        text = text.replace("COMMIT_SHA", sys.argv[3])
    commit = sys.argv[3] if len(sys.argv) > 3 else "COMMIT_SHA"
    for sub in ("workflows", "pre-commit"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    written = 0
    for line, lang, block in blocks(text):
        if lang != "yaml":
            continue
        k = kind(yaml.safe_load(block))
        if k is None:
            sys.exit(f"{doc}:{line}: a yaml block of no known kind: add a check for it")
        if k == "workflow":
            path, content = f"workflows/line-{line}.yml", block
        elif k == "steps":
            path, content = f"workflows/line-{line}-steps.yml", wrap(WORKFLOW_HEAD, block, 6)
        elif k == "pre-commit-config":
            path, content = f"pre-commit/line-{line}.yaml", block
        elif k == "hooks":
            path, content = f"pre-commit/line-{line}-hooks.yaml", wrap(CONFIG_HEAD.format(commit=commit), block, 6)
        else:
            print(f"{doc}:{line}: {k}, checked by tests/ci_docs.rs")
            continue
        # The wrapped text must still be YAML of the kind it claims.
        wrapped = kind(yaml.safe_load(content))
        if wrapped not in ("workflow", "pre-commit-config"):
            sys.exit(f"{doc}:{line}: wrapping the {k} block gave no complete file")
        with open(os.path.join(out, path), "w", encoding="utf-8") as f:
            f.write(content)
        print(f"{doc}:{line}: {k} -> {path}")
        written += 1
    if written == 0:
        sys.exit(f"{doc}: no workflow or pre-commit block found")


if __name__ == "__main__":
    main()
