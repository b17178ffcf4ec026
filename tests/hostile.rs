//! Hostile repositories: what a pull request from someone untrusted can put
//! in front of `isms-lint check` in CI, and what must come of it.
//!
//! - a symbolic link is reported and never read, whatever it points at (a
//!   key `.gitignore` hides, `.git/config`, a record of the repository);
//! - only regular files are opened: a named pipe, a socket or a directory
//!   that cannot be read is a finding, never a hang or an abort;
//! - limits set by the repository stop at a ceiling only the command line
//!   can raise;
//! - no input is quadratic: a record with a million keys, a directory of
//!   twelve thousand records read through git;
//! - errors say what is wrong (a file name that is not UTF-8, a damaged or
//!   forged git object, a shallow clone).
//!
//! The whole battery runs in a few seconds; docs/reliability.md lists what
//! it covers and the figures measured. The committed damaged files of
//! `tests/fixtures/bad-input` are checked by `tests/bad_input.rs`.

#[path = "../crates/isms-git/tests/common/mod.rs"]
mod git_support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use git_support::Fixture;
use serde_json::Value;

const MANIFEST: &str = "organisation:\n  name: Test Ltd\n";
const SOUND: &str = "kind: risk\nid: RISK-1\ntitle: Laptop theft\nidentified: 2025-02-30\n";
/// What a secret looks like; it must never appear in any output.
const SECRET: &str = "AKIA-SECRET-hunter2";

/// Anything that runs longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    json: Value,
}

impl Run {
    /// (rule, path, message) of the integrity findings.
    fn integrity(&self) -> Vec<(String, String, String)> {
        let rules = [
            "unreadable-file",
            "parse-error",
            "schema-violation",
            "invalid-date",
            "unknown-kind",
        ];
        let mut out: Vec<_> = self.json["findings"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|f| rules.contains(&f["rule"].as_str().unwrap()))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["path"].as_str().unwrap().to_owned(),
                    f["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// The message of the only integrity finding at `path`.
    fn message(&self, path: &str) -> String {
        let found: Vec<_> = self
            .integrity()
            .into_iter()
            .filter(|f| f.1 == path)
            .collect();
        assert_eq!(found.len(), 1, "{path}: {found:#?}");
        found[0].2.clone()
    }

    /// The sound record beside the hostile files was still read.
    fn assert_sound_checked(&self) {
        assert!(
            self.integrity()
                .iter()
                .any(|f| f.0 == "invalid-date" && f.1 == "risks/sound.yaml"),
            "the sound record was not checked: {:#?}\n{}",
            self.integrity(),
            self.stderr
        );
    }
}

/// `isms-lint check DIR` in `format`, within [`TIMEOUT`], no panic.
fn run_format(dir: &Path, format: &str, args: &[&str]) -> Run {
    run_as(None, dir, format, args)
}

/// [`run_format`], as `user` when one is given.
fn run_as(user: Option<&Unprivileged>, dir: &Path, format: &str, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin!("isms-lint");
    let mut cmd = match user {
        None => assert_cmd::Command::new(bin),
        Some(_) => {
            let mut cmd = assert_cmd::Command::new("setpriv");
            cmd.args(SETPRIV).arg(bin);
            cmd
        }
    };
    cmd.arg("check")
        .arg(dir)
        .args([
            "--as-of",
            "2025-06-30",
            "--format",
            format,
            "--color",
            "never",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(TIMEOUT);
    if let Some(u) = user {
        let config = u.home.path().join(".gitconfig");
        cmd.env("HOME", u.home.path())
            .env("GIT_CONFIG_GLOBAL", config);
    }
    let out = cmd.output().expect("isms-lint runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some(code) = out.status.code() else {
        panic!("isms-lint did not finish within {TIMEOUT:?}: {stderr}");
    };
    assert_ne!(code, 101, "isms-lint panicked: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = if format == "json" {
        serde_json::from_str(&stdout).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    Run {
        code,
        stdout,
        stderr,
        json,
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_format(dir, "json", args)
}

/// A repository with a manifest and one sound record (with a known finding).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("risks")).unwrap();
    fs::write(dir.path().join("isms.yaml"), MANIFEST).unwrap();
    fs::write(dir.path().join("risks/sound.yaml"), SOUND).unwrap();
    dir
}

fn git_repo() -> Fixture {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("risks/sound.yaml", SOUND);
    f
}

/// Whether this process can read a file whatever its permissions (root).
fn reads_anything(dir: &Path) -> bool {
    let probe = dir.join("probe");
    fs::write(&probe, "x").unwrap();
    set_mode(&probe, 0o000);
    let readable = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

/// `setpriv` arguments that run a command as `nobody` (uid and gid 65534),
/// without root's supplementary groups.
const SETPRIV: [&str; 4] = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];

/// A user for whom file permissions hold, when this process reads anything
/// (root, as in a CI container): `nobody`, through `setpriv`.
struct Unprivileged {
    /// Its home, whose `.gitconfig` trusts repositories owned by root (git
    /// refuses them otherwise, as `safe.directory` says).
    home: tempfile::TempDir,
}

/// How to run isms-lint so that a file without read permission cannot be
/// read: as this process (`Some(None)`), or as `nobody` when this process is
/// root (`Some(Some(_))`), `dir` then made reachable for it. `None`, with
/// the reason printed, when neither is possible.
#[cfg(unix)]
fn permission_user(dir: &Path) -> Option<Option<Unprivileged>> {
    if !reads_anything(dir) {
        return Some(None);
    }
    let skip = |why: String| {
        eprintln!("skipped: this process reads files whatever their permissions, and {why}");
        None
    };
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join(".gitconfig"), "[safe]\n\tdirectory = *\n").unwrap();
    // A temporary directory is private to its owner: let nobody in (the
    // locked paths inside keep their own modes).
    set_mode(home.path(), 0o755);
    set_mode(dir, 0o755);
    let probe = dir.join("probe");
    fs::write(&probe, "x").unwrap();
    set_mode(&probe, 0o000);
    let as_nobody = |program: &std::ffi::OsStr, args: &[&std::ffi::OsStr]| {
        std::process::Command::new("setpriv")
            .args(SETPRIV)
            .arg(program)
            .args(args)
            .env("HOME", home.path())
            .output()
    };
    let bin = assert_cmd::cargo::cargo_bin!("isms-lint");
    let reads_probe = as_nobody("cat".as_ref(), &[probe.as_os_str()]);
    let runs = as_nobody(bin.as_os_str(), &["--version".as_ref()]);
    fs::remove_file(&probe).unwrap();
    match (reads_probe, runs) {
        (Err(e), _) => skip(format!("setpriv cannot be run ({e})")),
        (Ok(o), _) if o.status.success() => {
            skip("nobody, run through setpriv, can read it too".to_owned())
        }
        (Ok(o), _) if !String::from_utf8_lossy(&o.stderr).contains("Permission denied") => {
            skip(format!(
                "setpriv cannot run a command as nobody: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
        (_, Ok(o)) if o.status.success() => Some(Some(Unprivileged { home })),
        (_, r) => skip(format!(
            "nobody cannot run {} ({r:?}): a directory on its way is private",
            bin.display()
        )),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// A secret kept out of git, and links to it and to git's own files.
#[cfg(unix)]
fn plant_links(root: &Path) {
    use std::os::unix::fs::symlink;
    fs::write(root.join(".env"), format!("token: {SECRET}\n")).unwrap();
    fs::write(root.join(".gitignore"), ".env\nkeys/\n").unwrap();
    fs::create_dir_all(root.join("keys")).unwrap();
    fs::write(root.join("keys/deploy.yaml"), format!("key: {SECRET}\n")).unwrap();
    symlink("../.env", root.join("risks/env.yaml")).unwrap();
    symlink("../keys/deploy.yaml", root.join("risks/key.yaml")).unwrap();
    symlink("../.git/config", root.join("risks/git-config.yaml")).unwrap();
    symlink("sound.yaml", root.join("risks/alias.yaml")).unwrap();
    symlink("/etc/passwd", root.join("risks/passwd.yaml")).unwrap();
}

const LINKS: [&str; 5] = [
    "risks/alias.yaml",
    "risks/env.yaml",
    "risks/git-config.yaml",
    "risks/key.yaml",
    "risks/passwd.yaml",
];

/// Every link is a finding that says so, and nothing of what it points at
/// reaches any output.
fn assert_links_refused(dir: &Path, args: &[&str]) {
    let r = run(dir, args);
    for path in LINKS {
        let m = r.message(path);
        assert!(
            m.contains("is a symbolic link") && m.contains("never follows links"),
            "{path}: {m}"
        );
    }
    r.assert_sound_checked();
    for format in ["json", "human", "sarif", "github", "junit"] {
        let out = run_format(dir, format, args);
        assert!(
            !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
            "{format} output shows a secret a link points at:\n{}",
            out.stdout
        );
        assert!(
            !out.stdout.contains("[core]") && !out.stdout.contains("root:x:0"),
            "{format} output shows a file a link points at"
        );
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_and_never_read_in_a_directory() {
    let dir = repo();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join(".git/config"), "[core]\n\tbare = false\n").unwrap();
    plant_links(dir.path());
    assert_links_refused(dir.path(), &["--no-git"]);
}

#[cfg(unix)]
#[test]
fn committed_symbolic_links_are_reported_and_never_read() {
    let f = git_repo();
    plant_links(f.path());
    f.commit("2025-01-10", "Mallory", "links");
    // The working tree, the commit (blobs of mode 120000) and the index.
    assert_links_refused(f.path(), &[]);
    assert_links_refused(f.path(), &["--rev", "HEAD"]);
    assert_links_refused(f.path(), &["--staged"]);
}

#[cfg(unix)]
#[test]
fn a_directory_link_on_the_way_to_a_tracked_file_is_not_followed() {
    let f = git_repo();
    f.write("real/r.yaml", SOUND);
    f.commit("2025-01-10", "Ann", "records");
    // The working tree is changed under git: `real` becomes a link.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("r.yaml"), format!("k: {SECRET}\n")).unwrap();
    fs::remove_dir_all(f.join("real")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.join("real")).unwrap();
    let r = run(f.path(), &[]);
    let m = r.message("real/r.yaml");
    assert!(m.contains("the directory `real` is a symbolic link"), "{m}");
    assert!(!r.stdout.contains(SECRET));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_socket_is_a_finding_not_a_hang() {
    let dir = repo();
    let fifo = dir.path().join("risks/pipe.yaml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("risks/socket.yaml"))
        .expect("a socket");
    let started = Instant::now();
    let r = run(dir.path(), &["--no-git"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(
        r.message("risks/pipe.yaml"),
        "this is a named pipe (FIFO), not a regular file; it was not opened"
    );
    assert_eq!(
        r.message("risks/socket.yaml"),
        "this is a socket, not a regular file; it was not opened"
    );
    r.assert_sound_checked();
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_the_manifest_is_an_error_not_a_hang() {
    let dir = repo();
    fs::remove_file(dir.path().join("isms.yaml")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(dir.path().join("isms.yaml"))
        .status()
        .unwrap()
        .success());
    let r = run(dir.path(), &["--no-git"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("could not read the manifest isms.yaml: this is a named pipe (FIFO), not a regular file"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_a_finding_and_the_rest_is_checked() {
    let dir = repo();
    let Some(user) = permission_user(dir.path()) else {
        return;
    };
    fs::create_dir(dir.path().join("risks/locked")).unwrap();
    fs::write(dir.path().join("risks/locked/r.yaml"), SOUND).unwrap();
    set_mode(&dir.path().join("risks/locked"), 0o000);
    let r = run_as(user.as_ref(), dir.path(), "json", &["--no-git"]);
    set_mode(&dir.path().join("risks/locked"), 0o755);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.message("risks/locked"),
        "the directory could not be read (Permission denied (os error 13)); none of the files in it were checked"
    );
    r.assert_sound_checked();
}

#[cfg(unix)]
#[test]
fn an_unreadable_tracked_file_is_a_finding_not_an_abort() {
    let f = git_repo();
    let Some(user) = permission_user(f.path()) else {
        return;
    };
    f.write("risks/locked.yaml", SOUND)
        .write("risks/dir/r.yaml", SOUND);
    f.commit("2025-01-10", "Ann", "records");
    set_mode(&f.join("risks/locked.yaml"), 0o000);
    set_mode(&f.join("risks/dir"), 0o000);
    let r = run_as(user.as_ref(), f.path(), "json", &[]);
    set_mode(&f.join("risks/locked.yaml"), 0o644);
    set_mode(&f.join("risks/dir"), 0o755);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for path in ["risks/locked.yaml", "risks/dir/r.yaml"] {
        assert_eq!(
            r.message(path),
            "the file could not be read: Permission denied (os error 13)"
        );
    }
    r.assert_sound_checked();
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_reported_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    let expected = "the file name is not valid UTF-8 (shown here with � for the bytes that are not); rename the file — it was not read";

    let dir = repo();
    fs::write(dir.path().join("risks").join(name), SOUND).unwrap();
    let r = run(dir.path(), &["--no-git"]);
    assert_eq!(r.message("risks/caf\u{fffd}.yaml"), expected);
    r.assert_sound_checked();

    let f = git_repo();
    fs::create_dir_all(f.join("risks")).unwrap();
    fs::write(f.join("risks").join(name), SOUND).unwrap();
    f.commit("2025-01-10", "Ann", "records");
    for args in [&[][..], &["--rev", "HEAD"], &["--staged"]] {
        let r = run(f.path(), args);
        assert_eq!(r.message("risks/caf\u{fffd}.yaml"), expected, "{args:?}");
        r.assert_sound_checked();
    }
}

/// A record of `keys` top-level keys no schema knows, each `kNNNNNNN: v`.
fn many_keys(keys: usize, duplicate: bool) -> String {
    let mut s = String::from("kind: risk\nid: RISK-KEYS\ntitle: Keys\n");
    for i in 0..keys {
        let k = if duplicate { 0 } else { i };
        s.push_str(&format!("k{k:07}: v\n"));
    }
    s
}

#[test]
fn a_record_with_200_000_keys_is_read_in_linear_time_and_its_errors_capped() {
    let dir = repo();
    fs::write(
        dir.path().join("risks/keys.yaml"),
        many_keys(200_000, false),
    )
    .unwrap();
    let started = Instant::now();
    let r = run(dir.path(), &["--no-git"]);
    let took = started.elapsed();
    // Quadratic, this took minutes; linear, a second or two even unoptimised.
    assert!(took < Duration::from_secs(30), "{took:?}");
    let found: Vec<_> = r
        .integrity()
        .into_iter()
        .filter(|f| f.1 == "risks/keys.yaml")
        .collect();
    assert_eq!(found.len(), 101, "100 errors and a count of the rest");
    assert!(found
        .iter()
        .any(|f| f.2 == "199900 more schema problems in a risk are not listed: at most 100 are reported per document; fix these and check again"));
    r.assert_sound_checked();
}

#[test]
fn duplicate_keys_by_the_thousand_are_capped() {
    let dir = repo();
    fs::write(dir.path().join("risks/dups.yaml"), many_keys(50_001, true)).unwrap();
    let r = run(dir.path(), &["--no-git"]);
    let found: Vec<_> = r
        .integrity()
        .into_iter()
        .filter(|f| f.1 == "risks/dups.yaml" && f.0 == "parse-error")
        .collect();
    assert_eq!(found.len(), 101, "100 errors and a count of the rest");
    assert!(found.iter().any(|f| f.2
        == "49900 more YAML problems in this file are not listed: at most 100 are reported per file; fix these and check again"));
    r.assert_sound_checked();
}

#[test]
fn twelve_thousand_records_in_one_directory_cost_git_no_more_than_the_disk() {
    let f = git_repo();
    for i in 0..12_000 {
        fs::write(
            f.join(&format!("risks/r{i:05}.yaml")),
            format!("kind: risk\nid: R-{i}\ntitle: Risk {i}\n"),
        )
        .unwrap();
    }
    f.commit("2025-01-10", "Ann", "Import the register");
    let time = |args: &[&str]| {
        let started = Instant::now();
        let r = run(f.path(), args);
        assert_eq!(r.json["summary"]["records"], 12_001, "{}", r.stderr);
        started.elapsed()
    };
    let disk = time(&["--no-git"]);
    let git = time(&[]);
    // Quadratic in the history pass, git took ten times the disk's time.
    assert!(
        git < disk * 4 + Duration::from_secs(2),
        "git {git:?}, directory {disk:?}"
    );
}

#[test]
fn a_repository_cannot_raise_the_file_size_limit_past_the_ceiling() {
    let ceiling_message = |asked: &str| {
        format!("`lint.max-file-size` asks for {asked}, above the ceiling of 64.0 MiB that a repository can set: files are read up to 64.0 MiB (only `--max-file-size` on the command line reads larger files)")
    };
    for (written, shown) in [
        ("2147483648", "2.0 GiB"),
        ("18446744073709551615", "17179869184.0 GiB"),
        ("99999999999999999999999", "more than a number holds"),
    ] {
        let dir = repo();
        fs::write(
            dir.path().join("isms.yaml"),
            format!("{MANIFEST}lint:\n  max-file-size: {written}\n"),
        )
        .unwrap();
        // A sparse file of a terabyte: allocated whole, it would take the
        // machine down; it is refused from its size alone.
        let huge = fs::File::create(dir.path().join("risks/huge.yaml")).unwrap();
        huge.set_len(1 << 40).unwrap();
        let r = run(dir.path(), &["--no-git"]);
        assert_eq!(r.message("isms.yaml"), ceiling_message(shown), "{written}");
        assert_eq!(
            r.message("risks/huge.yaml"),
            "the file is 1024.0 GiB, larger than the limit of 64.0 MiB (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read"
        );
        r.assert_sound_checked();
    }
}

#[test]
fn the_command_line_sets_the_file_size_limit_over_the_repository() {
    let dir = repo();
    fs::write(
        dir.path().join("isms.yaml"),
        format!("{MANIFEST}lint:\n  max-file-size: 10485760\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("risks/big.yaml"),
        format!("kind: risk\nid: RISK-BIG\ntitle: {}\n", "x".repeat(2000)),
    )
    .unwrap();
    let r = run(dir.path(), &["--no-git", "--max-file-size", "1KiB"]);
    assert_eq!(
        r.message("risks/big.yaml"),
        "the file is 2.0 KiB, larger than the limit of 1.0 KiB (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read"
    );
    let r = run(dir.path(), &["--no-git", "--max-file-size", "lots"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`lots` is not a size"), "{}", r.stderr);
}

#[test]
fn a_blob_above_the_ceiling_is_refused_before_it_is_inflated() {
    let f = git_repo();
    f.write(
        "isms.yaml",
        &format!("{MANIFEST}lint:\n  max-file-size: 4294967296\n"),
    );
    let mut big = String::from("kind: risk\nid: RISK-BIG\ntitle: t\ndescription: ");
    big.push_str(&"x".repeat(65 << 20));
    f.write("risks/big.yaml", &big);
    f.commit("2025-01-10", "Mallory", "a large blob");
    drop(big);
    let r = run(f.path(), &["--rev", "HEAD"]);
    assert_eq!(
        r.message("risks/big.yaml"),
        "the file is 65.0 MiB, larger than the limit of 64.0 MiB (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read"
    );
    r.assert_sound_checked();
}

#[test]
fn changed_since_on_a_shallow_clone_says_how_to_fetch_the_history() {
    let f = git_repo();
    f.commit("2025-01-10", "Ann", "start");
    f.write("risks/new.yaml", SOUND);
    f.commit("2025-02-10", "Ann", "more");
    let clone = f.shallow_clone();
    for rev in ["main", "origin/main", "HEAD~1"] {
        let r = run(&clone.path().join("clone"), &["--changed-since", rev]);
        assert_eq!(r.code, 2, "{rev}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("--changed-since needs the history to find where this branch left `{rev}`, and this is a shallow clone, whose history is cut short. Fetch the whole history: `fetch-depth: 0` on actions/checkout in GitHub Actions, `git fetch --unshallow` elsewhere")),
            "{rev}: {}",
            r.stderr
        );
    }
}

/// Replace the loose object of `blob` with `bytes`.
fn overwrite_object(f: &Fixture, blob: &str, bytes: &[u8]) {
    let path = f.join(&format!(".git/objects/{}/{}", &blob[..2], &blob[2..]));
    set_mode(&path, 0o644);
    fs::write(&path, bytes).unwrap();
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn a_damaged_or_forged_blob_is_reported_as_such() {
    let f = git_repo();
    f.write(
        "risks/damaged.yaml",
        "kind: risk\nid: RISK-D\ntitle: Damaged\n",
    )
    .write(
        "risks/forged.yaml",
        "kind: risk\nid: RISK-F\ntitle: Forged\n",
    );
    f.commit("2025-01-10", "Ann", "records");
    let damaged = f.git(&["rev-parse", "HEAD:risks/damaged.yaml"]);
    let forged = f.git(&["rev-parse", "HEAD:risks/forged.yaml"]);
    overwrite_object(&f, &damaged, b"this is not zlib data");
    // Valid zlib, a valid blob, but not the content its id is the hash of.
    let content = format!("kind: risk\nid: RISK-F\ntitle: {SECRET}\n");
    let mut raw = format!("blob {}\0", content.len()).into_bytes();
    raw.extend_from_slice(content.as_bytes());
    overwrite_object(&f, &forged, &deflate(&raw));

    let r = run(f.path(), &["--rev", "HEAD"]);
    for (path, id) in [
        ("risks/damaged.yaml", &damaged),
        ("risks/forged.yaml", &forged),
    ] {
        let m = r.message(path);
        assert!(
            m.starts_with(&format!(
                "git's copy of the file (object {id}) is damaged and was not read ("
            )) && m.ends_with("); `git fsck` lists the damaged objects"),
            "{path}: {m}"
        );
    }
    assert!(!r.stdout.contains(SECRET), "a forged blob was read");
    r.assert_sound_checked();
}
