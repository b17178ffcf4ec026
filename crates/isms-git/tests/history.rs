//! History facts and changed files over real repositories.

mod common;

use common::Fixture;
use isms_core::history::History;
use isms_git::{GitRepo, Target};

fn open(f: &Fixture) -> GitRepo {
    GitRepo::discover(f.path())
        .unwrap()
        .expect("a git repository")
}

fn history_of(git: &GitRepo, paths: &[&str]) -> History {
    let head = git.head().unwrap().unwrap();
    let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    git.history(head, &paths).unwrap()
}

/// (first date, first author, last date, last summary) of a path.
fn dates(h: &History, path: &str) -> (String, String, String, String) {
    let f = h.file(path).unwrap_or_else(|| panic!("{path} has history"));
    (
        f.first.date.to_string(),
        f.first.author.clone(),
        f.last.date.to_string(),
        f.last.summary.clone(),
    )
}

fn d(a: &str, b: &str, c: &str, e: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), e.into())
}

#[test]
fn first_and_last_commit_of_each_file() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n").write("a.yaml", "1\n");
    let first = f.commit("2024-03-01", "Ann Lee", "Start the ISMS");
    f.write("b.yaml", "1\n");
    f.commit("2024-04-01", "Bob Kay", "Add b");
    f.write("a.yaml", "2\n");
    let last = f.commit("2024-05-01", "Cy Dee", "Edit a\n\nWith a body.");
    f.write("unrelated.txt", "x\n");
    f.commit("2024-06-01", "Dee Ell", "Unrelated");
    // Not committed: no history.
    f.write("c.yaml", "new\n");

    let git = open(&f);
    let h = history_of(&git, &["isms.yaml", "a.yaml", "b.yaml", "c.yaml"]);
    assert_eq!(
        dates(&h, "a.yaml"),
        d("2024-03-01", "Ann Lee", "2024-05-01", "Edit a")
    );
    assert_eq!(
        dates(&h, "b.yaml"),
        d("2024-04-01", "Bob Kay", "2024-04-01", "Add b")
    );
    assert_eq!(
        dates(&h, "isms.yaml"),
        d("2024-03-01", "Ann Lee", "2024-03-01", "Start the ISMS")
    );
    assert!(h.file("c.yaml").is_none());
    let a = h.file("a.yaml").unwrap();
    assert_eq!(a.first.id, first);
    assert_eq!(a.last.id, last);
    assert_eq!(a.last.short_id(), &last[..7]);
    assert_eq!(h.changes["a.yaml"].len(), 2);
}

#[test]
fn the_commit_date_is_the_committers_in_their_time_zone() {
    let f = Fixture::new();
    f.write("a.yaml", "1\n");
    f.git(&["add", "-A"]);
    let out = std::process::Command::new("git")
        .current_dir(f.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2020-01-01T12:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2025-03-01T23:30:00-05:00")
        .args([
            "-c",
            "user.name=Ann",
            "-c",
            "user.email=a@x",
            "commit",
            "-q",
            "-m",
            "late",
        ])
        .status()
        .unwrap();
    assert!(out.success());
    let h = history_of(&open(&f), &["a.yaml"]);
    // 2025-03-02 04:30 UTC, but the 1st where it was committed.
    assert_eq!(
        h.file("a.yaml").unwrap().first.date.to_string(),
        "2025-03-01"
    );
}

#[test]
fn a_file_moved_unchanged_keeps_its_history() {
    let f = Fixture::new();
    f.write("reviews/2024-06.md", "---\nid: MR-1\n---\n");
    f.commit("2024-06-20", "Ann", "June review");
    std::fs::create_dir_all(f.join("reviews/2024")).unwrap();
    f.git(&["mv", "reviews/2024-06.md", "reviews/2024/06.md"]);
    f.commit("2025-02-01", "Bob", "Reorganise reviews");
    let h = history_of(&open(&f), &["reviews/2024/06.md"]);
    assert_eq!(
        dates(&h, "reviews/2024/06.md"),
        d("2024-06-20", "Ann", "2025-02-01", "Reorganise reviews")
    );
    // The move is a change of the path, not of the content.
    let changes = &h.changes["reviews/2024/06.md"];
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].blob, changes[1].blob);
}

/// A long line of commits, most of them touching other files: the walk goes
/// down to each file's first commit, follows a move on the way, and dates
/// every change with its own commit.
#[test]
fn a_long_history_is_followed_to_each_files_first_commit() {
    let f = Fixture::new();
    let day = |i: i64| {
        (chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(i))
            .to_string()
    };
    for i in 1..=120 {
        f.write("log.txt", &format!("{i}\n"));
        match i {
            3 => {
                f.write("a.yaml", "1\n");
            }
            60 => {
                f.git(&["mv", "a.yaml", "b.yaml"]);
            }
            100 => {
                f.write("b.yaml", "2\n");
            }
            110 => {
                f.write("c.yaml", "1\n");
            }
            _ => {}
        }
        f.commit(&day(i), "Ann", &format!("Change {i}"));
    }
    let h = history_of(&open(&f), &["b.yaml", "c.yaml"]);
    assert_eq!(
        dates(&h, "b.yaml"),
        d(&day(3), "Ann", &day(100), "Change 100")
    );
    let summaries: Vec<&str> = h.changes["b.yaml"]
        .iter()
        .map(|c| c.commit.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Change 3", "Change 60", "Change 100"]);
    assert_eq!(
        dates(&h, "c.yaml"),
        d(&day(110), "Ann", &day(110), "Change 110")
    );
}

#[test]
fn a_file_moved_and_edited_in_one_commit_starts_there() {
    let f = Fixture::new();
    f.write("old.yaml", "id: R-1\ntitle: x\n");
    f.commit("2024-06-20", "Ann", "Add");
    f.git(&["mv", "old.yaml", "new.yaml"]);
    f.write("new.yaml", "id: R-1\ntitle: y\n");
    f.commit("2025-02-01", "Bob", "Move and edit");
    let h = history_of(&open(&f), &["new.yaml"]);
    assert_eq!(
        dates(&h, "new.yaml"),
        d("2025-02-01", "Bob", "2025-02-01", "Move and edit")
    );
}

#[test]
fn a_file_deleted_and_added_again_starts_at_the_new_addition() {
    let f = Fixture::new();
    f.write("a.yaml", "1\n").write("keep.yaml", "k\n");
    f.commit("2024-01-01", "Ann", "Add a");
    f.remove("a.yaml");
    f.commit("2024-02-01", "Ann", "Remove a");
    f.write("a.yaml", "1\n");
    f.commit("2024-03-01", "Bob", "Add a again");
    let h = history_of(&open(&f), &["a.yaml", "keep.yaml"]);
    assert_eq!(
        dates(&h, "a.yaml"),
        d("2024-03-01", "Bob", "2024-03-01", "Add a again")
    );
    assert_eq!(h.changes["a.yaml"].len(), 1);
    assert_eq!(dates(&h, "keep.yaml").0, "2024-01-01");
}

#[test]
fn merges_are_followed_along_the_first_parent() {
    let f = Fixture::new();
    f.write("a.yaml", "1\n");
    f.commit("2024-01-01", "Ann", "Start");
    f.git(&["checkout", "-q", "-b", "feature"]);
    f.write("b.yaml", "1\n");
    f.commit("2024-01-05", "Bob", "Add b on a branch");
    f.write("a.yaml", "2\n");
    f.commit("2024-01-06", "Bob", "Edit a on a branch");
    f.git(&["checkout", "-q", "main"]);
    f.write("c.yaml", "1\n");
    f.commit("2024-01-07", "Cy", "Add c on main");
    f.merge("feature", "2024-02-01", "Merge feature");

    let h = history_of(&open(&f), &["a.yaml", "b.yaml", "c.yaml"]);
    // What reached main reached it at the merge, on the merge's date.
    assert_eq!(
        dates(&h, "b.yaml"),
        d("2024-02-01", "Merger", "2024-02-01", "Merge feature")
    );
    assert_eq!(
        dates(&h, "a.yaml"),
        d("2024-01-01", "Ann", "2024-02-01", "Merge feature")
    );
    assert_eq!(
        dates(&h, "c.yaml"),
        d("2024-01-07", "Cy", "2024-01-07", "Add c on main")
    );
}

#[test]
fn history_from_a_detached_head_or_an_older_commit() {
    let f = Fixture::new();
    f.write("a.yaml", "1\n");
    let first = f.commit("2024-01-01", "Ann", "one");
    f.write("a.yaml", "2\n");
    let second = f.commit("2024-02-01", "Ann", "two");
    f.write("a.yaml", "3\n");
    f.commit("2024-03-01", "Ann", "three");
    f.git(&["checkout", "-q", "--detach", &second]);
    let git = open(&f);
    let h = history_of(&git, &["a.yaml"]);
    assert_eq!(
        dates(&h, "a.yaml"),
        d("2024-01-01", "Ann", "2024-02-01", "two")
    );
    let at_first = git
        .history(git.resolve_commit(&first).unwrap(), &["a.yaml".to_owned()])
        .unwrap();
    assert_eq!(
        dates(&at_first, "a.yaml"),
        d("2024-01-01", "Ann", "2024-01-01", "one")
    );
}

#[test]
fn paths_are_relative_to_an_isms_root_in_a_subdirectory() {
    let f = Fixture::new();
    f.write("README.md", "x\n")
        .write("isms/risks/a.yaml", "1\n");
    f.commit("2024-01-01", "Ann", "Start");
    f.write("isms/risks/a.yaml", "2\n")
        .write("README.md", "y\n");
    f.commit("2024-02-01", "Bob", "Edit");
    f.git(&["mv", "isms/risks/a.yaml", "isms/risks/b.yaml"]);
    f.commit("2024-03-01", "Cy", "Rename");
    let git = GitRepo::discover(&f.join("isms")).unwrap().unwrap();
    let h = history_of(&git, &["risks/b.yaml"]);
    assert_eq!(
        dates(&h, "risks/b.yaml"),
        d("2024-01-01", "Ann", "2024-03-01", "Rename")
    );
    assert_eq!(h.changes["risks/b.yaml"].len(), 3);
}

#[test]
fn register_versions_are_read_back_per_record() {
    let f = Fixture::new();
    let reg = |e: &str| format!("kind: corrective-action\nentries:\n{e}");
    let ca1 = "  - id: CA-1\n    title: One\n    status: closed\n";
    let ca2 = "  - id: CA-2\n    title: Two\n    status: open\n";
    f.write("actions.yaml", &reg(ca1));
    f.commit("2024-01-01", "Ann", "CA-1");
    f.write("actions.yaml", &reg(&format!("{ca1}{ca2}")));
    f.commit("2024-06-01", "Bob", "CA-2");
    let h = history_of(&open(&f), &["actions.yaml"]);
    let t = h.timeline("actions.yaml").unwrap();
    assert_eq!(t.versions.len(), 2);
    assert_eq!(
        t.first_where("CA-2", |_| true).unwrap().commit.summary,
        "CA-2"
    );
    assert_eq!(
        t.first_where("CA-1", |_| true).unwrap().commit.summary,
        "CA-1"
    );
    assert!(t.record_changes("CA-1").is_empty());
}

#[test]
fn changed_since_uses_the_merge_base_like_a_pull_request() {
    let f = Fixture::new();
    f.write("isms/a.yaml", "1\n")
        .write("isms/b.yaml", "1\n")
        .write("other.txt", "1\n");
    f.commit("2024-01-01", "Ann", "Start");
    f.git(&["checkout", "-q", "-b", "pr"]);
    f.write("isms/a.yaml", "2\n")
        .write("isms/new.yaml", "n\n")
        .write("other.txt", "2\n");
    f.remove("isms/b.yaml");
    let pr = f.commit("2024-01-05", "Bob", "PR");
    // main moves on after the branch left it: not the PR's change.
    f.git(&["checkout", "-q", "main"]);
    f.write("isms/main-only.yaml", "m\n");
    f.commit("2024-01-06", "Cy", "On main");
    f.git(&["checkout", "-q", "pr"]);

    let git = GitRepo::discover(&f.join("isms")).unwrap().unwrap();
    let head = git
        .changed_since(
            "main",
            Target::WorkTree {
                include_untracked: false,
            },
        )
        .unwrap();
    assert_eq!(
        head.files.iter().collect::<Vec<_>>(),
        ["a.yaml", "new.yaml"]
    );
    let at = git
        .changed_since("main", Target::Commit(git.resolve_commit(&pr).unwrap()))
        .unwrap();
    assert_eq!(at.files, head.files);
    assert!(head.describe("main").starts_with("since main (merge base "));

    // Work in progress counts: unstaged, staged, and untracked when checked.
    f.write("isms/c.yaml", "staged\n");
    f.git(&["add", "isms/c.yaml"]);
    f.write("isms/unstaged.yaml", "u\n");
    f.write("isms/new.yaml", "edited\n");
    let index = git.changed_since("main", Target::Index).unwrap();
    assert_eq!(
        index.files.iter().collect::<Vec<_>>(),
        ["a.yaml", "c.yaml", "new.yaml"]
    );
    let wt = git
        .changed_since(
            "main",
            Target::WorkTree {
                include_untracked: true,
            },
        )
        .unwrap();
    assert_eq!(
        wt.files.iter().collect::<Vec<_>>(),
        ["a.yaml", "c.yaml", "new.yaml", "unstaged.yaml"]
    );
    assert!(git.changed_since("nope", Target::Index).is_err());
}
