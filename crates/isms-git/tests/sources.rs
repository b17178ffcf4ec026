//! The three sources over real repositories: working tree, revision, index.

mod common;

use common::Fixture;
use isms_core::{FileSource, ReadError};
use isms_git::GitRepo;

const LIMIT: u64 = 1 << 20;

fn paths(source: &dyn FileSource) -> Vec<String> {
    source.list().unwrap().into_iter().map(|f| f.path).collect()
}

fn text(source: &dyn FileSource, path: &str) -> String {
    String::from_utf8(source.read(path, LIMIT).unwrap()).unwrap()
}

fn open(f: &Fixture) -> GitRepo {
    GitRepo::discover(f.path())
        .unwrap()
        .expect("a git repository")
}

#[test]
fn outside_a_repository_there_is_none() {
    let dir = tempfile::tempdir().unwrap();
    assert!(GitRepo::discover(dir.path()).unwrap().is_none());
}

#[test]
fn working_tree_reads_tracked_files_from_disk() {
    let f = Fixture::new();
    f.write("isms.yaml", "organisation: {name: T}\n")
        .write("risks/a.yaml", "v1\n")
        .write("risks/gone.yaml", "x\n");
    f.commit("2025-01-10", "Ann", "start");
    // An edit not yet staged, a tracked file deleted, a new file not added.
    f.write("risks/a.yaml", "v2\n")
        .remove("risks/gone.yaml")
        .write("risks/new.yaml", "n\n")
        .write("notes/b.md", "n\n");
    let git = open(&f);
    assert_eq!(git.prefix(), "");
    let wt = git.worktree(false).unwrap();
    assert_eq!(paths(&wt), ["isms.yaml", "risks/a.yaml"]);
    assert_eq!(text(&wt, "risks/a.yaml"), "v2\n");
    assert_eq!(wt.read("risks/new.yaml", LIMIT), Err(ReadError::NotFound));
    assert_eq!(wt.untracked(), ["notes/b.md", "risks/new.yaml"]);
    assert_eq!(
        wt.notes(),
        ["2 untracked files were not checked (notes/b.md, risks/new.yaml): `git add` them, or pass --include-untracked"]
    );

    let all = git.worktree(true).unwrap();
    assert_eq!(
        paths(&all),
        ["isms.yaml", "notes/b.md", "risks/a.yaml", "risks/new.yaml"]
    );
    assert!(all.notes().is_empty());
    assert!(all
        .describe()
        .ends_with("(working tree: tracked and untracked files)"));
}

#[test]
fn ignored_files_are_neither_read_nor_counted() {
    let f = Fixture::new();
    f.write(".gitignore", "*.tmp.yaml\n")
        .write("isms.yaml", "x\n");
    f.commit("2025-01-10", "Ann", "start");
    f.write("scratch.tmp.yaml", "junk\n");
    let wt = open(&f).worktree(true).unwrap();
    assert_eq!(paths(&wt), [".gitignore", "isms.yaml"]);
    assert!(open(&f).worktree(false).unwrap().notes().is_empty());
}

#[test]
fn many_untracked_files_are_summarised() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n");
    f.commit("2025-01-10", "Ann", "start");
    for i in 0..5 {
        f.write(&format!("r/{i}.yaml"), "x\n");
    }
    f.write("one/only.yaml", "x\n");
    assert_eq!(
        open(&f).worktree(false).unwrap().notes(),
        ["6 untracked files were not checked (one/only.yaml, r/0.yaml, r/1.yaml, and 3 more): `git add` them, or pass --include-untracked"]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "secret\n").unwrap();
    f.write("isms.yaml", "x\n")
        .write("risks/a.yaml", "inside\n");
    symlink(outside.path().join("secret.yaml"), f.join("out.yaml")).unwrap();
    symlink("../../etc/passwd", f.join("risks/up.yaml")).unwrap();
    symlink("a.yaml", f.join("risks/alias.yaml")).unwrap();
    f.commit("2025-01-10", "Ann", "links");
    let git = open(&f);

    // A link is never followed, even to a file inside the repository: the
    // link's target is all that is read of it.
    let link = |target: &str| {
        Err(ReadError::Symlink {
            target: target.to_owned(),
        })
    };
    let wt = git.worktree(false).unwrap();
    assert!(matches!(
        wt.read("out.yaml", LIMIT),
        Err(ReadError::Symlink { .. })
    ));
    assert_eq!(wt.read("risks/up.yaml", LIMIT), link("../../etc/passwd"));
    assert_eq!(wt.read("risks/alias.yaml", LIMIT), link("a.yaml"));

    for source in [git.revision("HEAD").unwrap(), git.index().unwrap()] {
        assert!(matches!(
            source.read("out.yaml", LIMIT),
            Err(ReadError::Symlink { .. })
        ));
        assert_eq!(
            source.read("risks/up.yaml", LIMIT),
            link("../../etc/passwd")
        );
        assert_eq!(source.read("risks/alias.yaml", LIMIT), link("a.yaml"));
    }
}

#[test]
fn a_revision_is_read_from_the_object_database() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n").write("risks/a.yaml", "2024\n");
    let first = f.commit("2024-06-01", "Ann", "first");
    f.git(&["tag", "v1"]);
    f.write("risks/a.yaml", "2025\n")
        .write("risks/b.yaml", "new\n");
    f.commit("2025-01-10", "Ann", "second");
    // Neither the index nor the working tree matter.
    f.write("risks/a.yaml", "staged\n");
    f.git(&["add", "risks/a.yaml"]);
    f.write("risks/a.yaml", "on disk\n");

    let git = open(&f);
    for rev in ["v1", "HEAD~1", &first[..10], "main~1"] {
        let old = git.revision(rev).unwrap();
        assert_eq!(paths(&old), ["isms.yaml", "risks/a.yaml"], "{rev}");
        assert_eq!(text(&old, "risks/a.yaml"), "2024\n");
        assert_eq!(old.commit().unwrap().to_string(), first);
    }
    let head = git.revision("main").unwrap();
    assert_eq!(text(&head, "risks/a.yaml"), "2025\n");
    assert!(
        head.describe().contains("at main (commit "),
        "{}",
        head.describe()
    );
    let err = git.revision("no-such-branch").err().unwrap();
    assert!(
        matches!(&err, isms_git::Error::UnknownRevision { rev, .. } if rev == "no-such-branch")
            && err
                .to_string()
                .starts_with("`no-such-branch` names no commit, branch or tag"),
        "{err}"
    );
}

#[test]
fn the_index_holds_what_would_be_committed() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n").write("a.yaml", "committed\n");
    f.commit("2025-01-10", "Ann", "start");
    // Half-staged: one version staged, another on disk.
    f.write("a.yaml", "staged\n");
    f.git(&["add", "a.yaml"]);
    f.write("a.yaml", "staged\nand more on disk\n");
    // Staged new file, and an intent-to-add (nothing of it is committed).
    f.write("b.yaml", "new\n").write("c.yaml", "intent\n");
    f.git(&["add", "b.yaml"]);
    f.git(&["add", "-N", "c.yaml"]);
    // Removed from the index but still on disk.
    f.git(&["rm", "-q", "--cached", "isms.yaml"]);

    let git = open(&f);
    let index = git.index().unwrap();
    assert_eq!(paths(&index), ["a.yaml", "b.yaml"]);
    assert_eq!(text(&index, "a.yaml"), "staged\n");
    assert_eq!(text(&index, "b.yaml"), "new\n");
    assert!(index.commit().is_none());
    let wt = git.worktree(false).unwrap();
    assert_eq!(text(&wt, "a.yaml"), "staged\nand more on disk\n");
}

#[test]
fn an_unresolved_conflict_in_the_index_cannot_be_read() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n").write("a.yaml", "base\n");
    f.commit("2025-01-10", "Ann", "base");
    f.git(&["checkout", "-q", "-b", "side"]);
    f.write("a.yaml", "side\n");
    f.commit("2025-01-11", "Ann", "side");
    f.git(&["checkout", "-q", "main"]);
    f.write("a.yaml", "main\n");
    f.commit("2025-01-12", "Ann", "main");
    let out = std::process::Command::new("git")
        .current_dir(f.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@x",
            "merge",
            "-q",
            "side",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the merge conflicts");
    let index = open(&f).index().unwrap();
    assert_eq!(paths(&index), ["a.yaml", "isms.yaml"]);
    assert!(
        matches!(index.read("a.yaml", LIMIT), Err(ReadError::Io(m)) if m.contains("merge conflict"))
    );
}

#[test]
fn large_blobs_are_refused_before_being_read() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n")
        .write("big.yaml", &"a".repeat(5000));
    f.commit("2025-01-10", "Ann", "big");
    let rev = open(&f).revision("HEAD").unwrap();
    assert_eq!(
        rev.read("big.yaml", 100),
        Err(ReadError::TooLarge {
            size: 5000,
            limit: 100
        })
    );
}

#[test]
fn an_isms_root_in_a_subdirectory() {
    let f = Fixture::new();
    f.write("README.md", "project\n")
        .write("isms/isms.yaml", "x\n")
        .write("isms/risks/a.yaml", "v1\n")
        .write("isms-other/x.yaml", "not ours\n");
    f.commit("2025-01-10", "Ann", "start");
    f.write("isms/risks/new.yaml", "n\n")
        .write("elsewhere.yaml", "n\n");

    let git = GitRepo::discover(&f.join("isms")).unwrap().unwrap();
    assert_eq!(git.prefix(), "isms/");
    let wt = git.worktree(false).unwrap();
    assert_eq!(paths(&wt), ["isms.yaml", "risks/a.yaml"]);
    assert_eq!(wt.untracked(), ["risks/new.yaml"]);
    assert_eq!(text(&wt, "isms.yaml"), "x\n");
    let rev = git.revision("HEAD").unwrap();
    assert_eq!(paths(&rev), ["isms.yaml", "risks/a.yaml"]);
    assert_eq!(text(&rev, "risks/a.yaml"), "v1\n");
    assert_eq!(paths(&git.index().unwrap()), ["isms.yaml", "risks/a.yaml"]);
    assert!(git.is_tracked("isms.yaml").unwrap());

    // A revision from before the root existed.
    f.write("isms2/isms.yaml", "x\n");
    f.commit("2025-02-01", "Ann", "second root");
    let later = GitRepo::discover(&f.join("isms2")).unwrap().unwrap();
    let err = later.revision("HEAD~1").err().unwrap();
    assert!(
        err == isms_git::Error::RootMissingAt {
            dir: "isms2".into(),
            rev: "HEAD~1".into()
        } && err
            .to_string()
            .contains("`isms2` does not exist at `HEAD~1`"),
        "{err}"
    );
}

#[test]
fn an_empty_repository_still_has_an_index() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n")
        .write("risks/a.yaml", "staged\n")
        .write("untracked.yaml", "u\n");
    f.git(&["add", "isms.yaml", "risks/a.yaml"]);
    let git = open(&f);
    assert_eq!(git.head().unwrap(), None);
    let wt = git.worktree(false).unwrap();
    assert_eq!(paths(&wt), ["isms.yaml", "risks/a.yaml"]);
    assert_eq!(wt.untracked(), ["untracked.yaml"]);
    assert_eq!(paths(&git.index().unwrap()), ["isms.yaml", "risks/a.yaml"]);
    assert!(git.revision("HEAD").is_err());
}

#[test]
fn detached_head_and_shallow_clones() {
    let f = Fixture::new();
    f.write("isms.yaml", "x\n");
    let first = f.commit("2025-01-10", "Ann", "one");
    f.write("a.yaml", "a\n");
    f.commit("2025-01-11", "Ann", "two");
    assert!(!open(&f).is_shallow());

    let clone = f.shallow_clone();
    let shallow = GitRepo::discover(&clone.path().join("clone"))
        .unwrap()
        .unwrap();
    assert!(shallow.is_shallow());

    f.git(&["checkout", "-q", "--detach", &first]);
    let git = open(&f);
    assert_eq!(git.head().unwrap().unwrap().to_string(), first);
    assert_eq!(paths(&git.worktree(false).unwrap()), ["isms.yaml"]);
}
