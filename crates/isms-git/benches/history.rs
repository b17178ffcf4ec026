//! History facts for 10 000 files over 10 000 commits, next to what git
//! itself pays to list the same history (`git log --name-only --format=%ct`).
//!
//! ```text
//! cargo bench -p isms-git --bench history            # 10 000 files × 10 000 commits
//! cargo bench -p isms-git --bench history -- 3000 3000
//! cargo bench -p isms-git --bench history -- 3000 3000 12000   # and 12 000 in one directory
//! ```
//!
//! A second repository holds 12 000 records in one directory, in one
//! commit: looking files up one by one in a tree that large (too large for
//! libgit2's object cache) was quadratic, and it must stay linear.
//!
//! The synthetic repository is written once with `git fast-import` (far
//! faster than committing through libgit2) into the target directory and
//! reused by later runs. Commit `i` adds file `i` and edits two older files,
//! so every file's first commit is spread over the whole history and the
//! walk has to go all the way down, as `git log` does.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use isms_git::GitRepo;

const RUNS: usize = 3;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let files = args.first().copied().unwrap_or(10_000);
    let commits = args.get(1).copied().unwrap_or(10_000).max(files);
    let flat = args.get(2).copied().unwrap_or(12_000);

    let repo = build(files, commits);
    let paths: Vec<String> = (0..files).map(path).collect();
    let recent: Vec<String> = paths[files - files / 100..].to_vec();

    let git_log = best(|| {
        let status = git(&repo)
            .args(["log", "--name-only", "--format=%ct"])
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success());
    });
    let all = best(|| {
        let h = facts(&repo, &paths);
        assert_eq!(h.files.len(), files);
    });
    let newest = best(|| {
        let h = facts(&repo, &recent);
        assert_eq!(h.files.len(), recent.len());
    });

    let flat_repo = build_flat(flat);
    let flat_paths: Vec<String> = (0..flat).map(flat_path).collect();
    let one_dir = best(|| {
        let h = facts(&flat_repo, &flat_paths);
        assert_eq!(h.files.len(), flat);
    });

    println!("history of {files} files over {commits} commits (best of {RUNS} runs)");
    println!("  git log --name-only --format=%ct   {:>9}", ms(git_log));
    println!(
        "  isms-git history, every file        {:>9}   {:.2}× git log",
        ms(all),
        all.as_secs_f64() / git_log.as_secs_f64()
    );
    println!(
        "  isms-git history, {} newest files   {:>9}   (the walk stops once they are dated)",
        recent.len(),
        ms(newest)
    );
    println!(
        "  isms-git history, {flat} files in one directory, one commit   {:>9}",
        ms(one_dir)
    );
}

fn flat_path(i: usize) -> String {
    format!("risks/risk-{i:05}.yaml")
}

/// `files` records in one directory, added by one commit.
fn build_flat(files: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("history-flat-{files}"));
    let done = dir.join("isms-bench-complete");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    assert!(git(&dir)
        .args(["init", "-q", "--bare", "-b", "main"])
        .status()
        .unwrap()
        .success());
    let mut child = git(&dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    {
        let mut w = std::io::BufWriter::new(child.stdin.take().unwrap());
        let msg = "Import the register\n";
        writeln!(w, "commit refs/heads/main").unwrap();
        writeln!(w, "committer Ann Lee <ann@example.com> 1420070400 +0000").unwrap();
        write!(w, "data {}\n{msg}", msg.len()).unwrap();
        for i in 0..files {
            let body = content(i, 1);
            write!(
                w,
                "M 100644 inline {}\ndata {}\n{body}",
                flat_path(i),
                body.len()
            )
            .unwrap();
        }
        writeln!(w).unwrap();
        w.flush().unwrap();
    }
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    std::fs::write(&done, "").unwrap();
    dir
}

fn facts(repo: &Path, paths: &[String]) -> isms_core::history::History {
    let git = GitRepo::discover(repo).unwrap().expect("a repository");
    let head = git.head().unwrap().expect("a commit");
    git.history(head, paths).unwrap()
}

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn path(i: usize) -> String {
    format!("risks/{:03}/risk-{i:05}.yaml", i / 100)
}

fn content(i: usize, revision: usize) -> String {
    format!(
        "kind: risk\nid: RISK-{i:05}\ntitle: Synthetic risk {i}\nowner: Owner {}\nlikelihood: {}\nimpact: {}\nreviewed: 2025-01-01\nrevision: {revision}\n",
        i % 17,
        1 + i % 5,
        1 + revision % 5
    )
}

/// The repository for `files` × `commits`, built on first use.
fn build(files: usize, commits: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("history-{files}x{commits}"));
    let done = dir.join("isms-bench-complete");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    eprintln!("building {} with git fast-import…", dir.display());
    let t = Instant::now();
    assert!(git(&dir)
        .args(["init", "-q", "--bare", "-b", "main"])
        .status()
        .unwrap()
        .success());
    let mut child = git(&dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    {
        let mut w = std::io::BufWriter::new(child.stdin.take().unwrap());
        let mut revisions = vec![0usize; files];
        let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
        let start: u64 = 1_420_070_400; // 2015-01-01
        let authors = ["Ann Lee", "Bob Kay", "Cy Dee", "Dee Ell", "Eve Fox"];
        for c in 0..commits {
            let when = start + c as u64 * 3600;
            let who = authors[c % authors.len()];
            let email = format!(
                "{}@example.com",
                who.split(' ').next().unwrap().to_lowercase()
            );
            let msg = format!("Change {c}\n");
            writeln!(w, "commit refs/heads/main\nmark :{}", c + 1).unwrap();
            writeln!(w, "author {who} <{email}> {when} +0000").unwrap();
            writeln!(w, "committer {who} <{email}> {when} +0000").unwrap();
            write!(w, "data {}\n{msg}", msg.len()).unwrap();
            if c > 0 {
                writeln!(w, "from :{c}").unwrap();
            } else {
                let manifest = "organisation:\n  name: Bench Ltd\n";
                write!(
                    w,
                    "M 100644 inline isms.yaml\ndata {}\n{manifest}",
                    manifest.len()
                )
                .unwrap();
            }
            // Files are added over the first `files` commits, one each.
            let mut touch = Vec::new();
            if c < files {
                touch.push(c);
            }
            let existing = c.min(files);
            for _ in 0..2 {
                if existing > 0 {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    touch.push((rng % existing as u64) as usize);
                }
            }
            for i in touch {
                revisions[i] += 1;
                let body = content(i, revisions[i]);
                write!(
                    w,
                    "M 100644 inline {}\ndata {}\n{body}",
                    path(i),
                    body.len()
                )
                .unwrap();
            }
            writeln!(w).unwrap();
        }
        w.flush().unwrap();
    }
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    std::fs::write(&done, "").unwrap();
    eprintln!("built in {:.1} s", t.elapsed().as_secs_f64());
    dir
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    c
}
