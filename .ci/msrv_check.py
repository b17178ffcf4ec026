"""The declared minimum supported Rust version is honest about the locked
dependencies: none of them needs a newer Rust than `rust-version` in
Cargo.toml says. (GitHub CI also builds with that toolchain.)

Usage: python3 .ci/msrv_check.py   (reads `cargo metadata --locked`)
"""

import json
import subprocess
import sys


def version(text):
    """1.88 and 1.88.0 alike, as (1, 88, 0)."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    resolved = {n["id"] for n in meta["resolve"]["nodes"]}
    declared = {
        p["name"]: p.get("rust_version") for p in meta["packages"] if p["id"] in members
    }
    if not all(declared.values()):
        print(f"every workspace crate declares a rust-version: {declared}")
        return 1
    msrv = min(version(v) for v in declared.values())
    needs = sorted(
        (
            (version(p["rust_version"]), p["name"], p["version"])
            for p in meta["packages"]
            if p["id"] in resolved and p["id"] not in members and p.get("rust_version")
        ),
        reverse=True,
    )
    shown = ".".join(map(str, msrv))
    over = [n for n in needs if n[0] > msrv]
    if over:
        print(f"rust-version {shown} is too old for the locked dependencies:")
        for v, name, ver in over:
            print(f"  {name} {ver} needs Rust {'.'.join(map(str, v))}")
        return 1
    top = needs[0] if needs else None
    print(
        f"rust-version {shown}: no locked dependency needs newer"
        + (f" (the most demanding: {top[1]} {top[2]}, Rust {'.'.join(map(str, top[0]))})" if top else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
