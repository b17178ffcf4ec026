//! The git sources over a generated repository: the input becomes a tree
//! (paths, modes — files, links, submodules — and contents), committed in
//! a repository made once; the revision is listed, loaded and checked, and
//! its history read. No panic, no link followed.
//!
//! Setup is shared across inputs: the repository lives in memory-backed
//! `/dev/shm` when there is one, and it and its `GitRepo` are opened once.
//! Every few thousand inputs it is made anew, so that the loose objects of
//! millions of inputs do not pile up (in memory, on tmpfs) and slow every
//! lookup down.
#![no_main]

use std::cell::RefCell;

use chrono::NaiveDate;
use git2::{Oid, Repository, Signature, Time};
use isms_core::{check, load, CheckOptions, FileSource, LoadOptions};
use isms_git::GitRepo;
use libfuzzer_sys::fuzz_target;

const MODES: [i32; 4] = [0o100644, 0o100755, 0o120000, 0o160000];

/// Inputs committed in one repository before it is made anew.
const INPUTS_PER_REPOSITORY: u32 = 4096;

struct Setup {
    // Dropped first: the repository before its directory.
    git: GitRepo,
    repo: Repository,
    manifest: Oid,
    used: u32,
    _dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let manifest = repo
            .blob(b"organisation:\n  name: Fuzz Ltd\n")
            .unwrap();
        let git = GitRepo::discover(dir.path()).unwrap().unwrap();
        Setup {
            git,
            repo,
            manifest,
            used: 0,
            _dir: dir,
        }
    }
}

thread_local! {
    static SETUP: RefCell<Option<Setup>> = const { RefCell::new(None) };
}

/// A tree from the input: records separated by NUL, each `mode-byte path
/// \n content`; paths may hold `/` (a directory is made for them).
fn commit(repo: &Repository, manifest: Oid, data: &[u8]) -> Option<Oid> {
    let mut index = git2::Index::new().ok()?;
    let mut add = |path: &[u8], mode: i32, id: Oid| {
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: mode as u32,
            uid: 0,
            gid: 0,
            file_size: 0,
            id,
            flags: path.len().min(0xfff) as u16,
            flags_extended: 0,
            path: path.to_vec(),
        };
        let _ = index.add(&entry);
    };
    add(b"isms.yaml", 0o100644, manifest);
    for part in data.split(|&b| b == 0).take(64) {
        let Some((&m, rest)) = part.split_first() else {
            continue;
        };
        let (path, content) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        if path.is_empty() || path.starts_with(b"/") || path.ends_with(b"/") {
            continue;
        }
        let mode = MODES[usize::from(m) % MODES.len()];
        let id = if mode == 0o160000 {
            Oid::hash_object(git2::ObjectType::Commit, content).ok()?
        } else {
            repo.blob(content).ok()?
        };
        add(path, mode, id);
    }
    // A file and a directory of one name (`a` and `a/b`) make no tree, and
    // libgit2 leaks an entry failing on them: such an input is dropped here.
    let paths: std::collections::HashSet<Vec<u8>> = index.iter().map(|e| e.path).collect();
    let clash = paths.iter().any(|p| {
        p.iter()
            .enumerate()
            .any(|(i, &b)| b == b'/' && paths.contains(&p[..i]))
    });
    if clash {
        return None;
    }
    let tree = repo.find_tree(index.write_tree_to(repo).ok()?).ok()?;
    let sig = Signature::new("Fuzz", "fuzz@example.com", &Time::new(1_735_689_600, 0)).ok()?;
    repo.commit(None, &sig, &sig, "fuzz", &tree, &[]).ok()
}

fuzz_target!(|data: &[u8]| {
    SETUP.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|s| s.used >= INPUTS_PER_REPOSITORY) {
            *cell = None;
            *cell = Some(Setup::new());
        }
        let setup = cell.as_mut().unwrap();
        setup.used += 1;
        run(setup, data);
    });
});

fn run(setup: &Setup, data: &[u8]) {
    let Some(id) = commit(&setup.repo, setup.manifest, data) else {
        return;
    };
    let git = &setup.git;
    let Ok(source) = git.revision(&id.to_string()) else {
        return;
    };
    let Ok(listed) = source.list() else {
        return;
    };
    for f in &listed {
        let _ = source.read(&f.path, 1 << 20);
    }
    let Ok(mut loaded) = load(&source, &LoadOptions::default()) else {
        return;
    };
    let paths: Vec<String> = loaded.files.iter().map(|f| f.path.clone()).collect();
    loaded.history = git.history(id, &paths).ok();
    let _ = check(
        loaded,
        &CheckOptions {
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            horizon: None,
        },
    );
}
