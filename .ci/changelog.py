"""The released versions, as CHANGELOG.md records them.

Usage:
  python3 .ci/changelog.py released          the released versions, newest first
  python3 .ci/changelog.py check-tag vX.Y.Z  a tag may be released: the version is
                                             Cargo.toml's and CHANGELOG.md has a dated
                                             section for it
  python3 .ci/changelog.py notes X.Y.Z       that version's section (release notes)
  python3 .ci/changelog.py self-test

A released version is a heading `## [X.Y.Z] - YYYY-MM-DD`; `## [Unreleased]`
holds what is not released yet (Keep a Changelog 1.1.0). Python 3.11+ (tomllib).
"""

import datetime
import os
import re
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\S+))?\s*$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def sections(text):
    """(name, date, body) for each `## [...]` section, in order."""
    out, current, body = [], None, []
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            if current:
                out.append((*current, "\n".join(body).strip() + "\n"))
            current, body = (m["name"], m["date"]), []
        elif line.startswith("[") and "]: " in line and current:
            continue  # link definitions at the end
        elif current:
            body.append(line)
    if current:
        out.append((*current, "\n".join(body).strip() + "\n"))
    return out


def released(text):
    versions = []
    for name, date, _ in sections(text):
        if name == "Unreleased":
            continue
        if not VERSION.match(name):
            raise SystemExit(f"CHANGELOG.md: `{name}` is not a version X.Y.Z")
        try:
            datetime.date.fromisoformat(date or "")
        except ValueError:
            raise SystemExit(f"CHANGELOG.md: version {name} has no date YYYY-MM-DD") from None
        versions.append(name)
    return versions


def read(name):
    with open(os.path.join(REPO, name), encoding="utf-8") as f:
        return f.read()


def cargo_version():
    with open(os.path.join(REPO, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def check_tag(tag, changelog, cargo):
    """None if the tag may be released, else why not."""
    if not tag.startswith("v") or not VERSION.match(tag[1:]):
        return f"the tag {tag} is not vX.Y.Z"
    version = tag[1:]
    if version != cargo:
        return f"the tag {tag} is not the version in Cargo.toml ({cargo})"
    if version not in released(changelog):
        return f"CHANGELOG.md has no section `## [{version}] - YYYY-MM-DD`: move the Unreleased entries there"
    return None


def notes(version, changelog):
    for name, _, body in sections(changelog):
        if name == version:
            return body
    raise SystemExit(f"CHANGELOG.md has no section for {version}")


def self_test():
    text = (
        "# Changelog\n\n## [Unreleased]\n\n- next\n\n## [0.2.0] - 2027-01-04\n\n### Fixed\n\n- a\n\n"
        "## [0.1.0] - 2026-12-20\n\n- b\n\n[Unreleased]: https://example.invalid\n"
    )
    assert released(text) == ["0.2.0", "0.1.0"], released(text)
    assert notes("0.2.0", text) == "### Fixed\n\n- a\n", notes("0.2.0", text)
    assert notes("0.1.0", text) == "- b\n", notes("0.1.0", text)
    assert check_tag("v0.2.0", text, "0.2.0") is None
    assert "Cargo.toml" in check_tag("v0.2.0", text, "0.3.0")
    assert "no section" in check_tag("v0.3.0", text, "0.3.0")
    assert "not vX.Y.Z" in check_tag("0.3.0", text, "0.3.0")
    try:
        released("## [0.1.0]\n")
    except SystemExit as e:
        assert "no date" in str(e)
    else:
        raise AssertionError("an undated version was taken as released")
    # The repository's own changelog parses.
    released(read("CHANGELOG.md"))
    print("changelog: self-test passed")


def main(argv):
    if argv[:1] == ["released"]:
        print("\n".join(released(read("CHANGELOG.md"))))
    elif argv[:1] == ["check-tag"] and len(argv) == 2:
        why = check_tag(argv[1], read("CHANGELOG.md"), cargo_version())
        if why:
            print(f"::error title=release::{why}")
            return 1
        print(f"{argv[1]}: Cargo.toml's version, recorded in CHANGELOG.md")
    elif argv[:1] == ["notes"] and len(argv) == 2:
        sys.stdout.write(notes(argv[1].removeprefix("v"), read("CHANGELOG.md")))
    elif argv == ["self-test"]:
        self_test()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
