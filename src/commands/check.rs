use std::io::Write;
use std::path::{Path, PathBuf};

use isms_core::load::MANIFEST;
use isms_core::{
    check, load, CheckOptions, DirSource, FileSource, Interval, LoadOptions, Report, Repository,
    Severity,
};
use isms_git::{CommitId, GitRepo, Target};

use super::{today, CliError};
use crate::cli::{CheckArgs, Format, OutputSpec};
use crate::output;
use crate::ExitStatus;

pub fn run(args: CheckArgs, color: bool) -> Result<ExitStatus, CliError> {
    let root = match &args.path {
        Some(p) => {
            if !p.is_dir() {
                return Err(format!("{} is not a directory", p.display()));
            }
            p.clone()
        }
        None if args.config.is_some() => PathBuf::from("."),
        None => find_root()?,
    };
    let selected = select_source(&args, &root)?;
    let mut repo = load(
        &*selected.source,
        &LoadOptions {
            config: args.config.clone(),
            max_file_size: args.max_file_size,
        },
    )
    .map_err(|e| e.to_string())?;
    repo.stats.notes.extend(selected.notes.iter().cloned());
    if let Some(git) = &selected.git {
        read_history(git, selected.start, &mut repo);
    }
    let changed = match (&selected.git, &args.changed_since) {
        (Some(git), Some(rev)) => {
            let changed = git
                .changed_since(rev, selected.target)
                .map_err(|e| e.to_string())?;
            repo.stats.notes.push(format!(
                "reporting only findings in the {} changed {}",
                plural(changed.files.len(), "file"),
                changed.describe(rev)
            ));
            Some(changed)
        }
        _ => None,
    };
    let fail_on: Severity = args
        .fail_on
        .map(Severity::from)
        .or(repo.manifest.lint.fail_on)
        .unwrap_or(Severity::Error);
    let opts = CheckOptions {
        as_of: args.as_of.unwrap_or_else(today),
        horizon: args.horizon.map(Interval::days),
    };
    for note in &repo.stats.notes {
        eprintln!("note: {note}");
    }
    let notes = repo.stats.notes.clone();
    let mut report = check(repo, &opts);
    if let Some(changed) = changed {
        let Report { repo, findings, .. } = &mut report;
        findings.retain(|f| changed.files.contains(repo.path(f.file)));
    }
    let status = if report.fails(fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };

    let mut cx = output::Context::new(&report, &root);
    cx.fail_on = fail_on;
    cx.status = status;
    cx.notes = &notes;
    cx.show_waived = args.show_waived;
    cx.sarif_category = sarif_category(&args.sarif_category);

    // Files first: a report on standard output is the last thing a user sees.
    for o in &args.output {
        write_file(o, &cx).map_err(|e| format!("cannot write {}: {e}", o.path.display()))?;
    }
    cx.color = color;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match output::write(args.format, &mut out, &cx).and_then(|()| out.flush()) {
        // A reader that stops early (`isms-lint check | head`) ends the
        // output, not the check: the exit code still says what was found.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(format!("cannot write the report: {e}"));
        }
        _ => {}
    }
    let github =
        args.format == Format::Github || args.output.iter().any(|o| o.format == Format::Github);
    if github {
        if let Err(e) = output::github::append_step_summary(&cx) {
            eprintln!("warning: cannot append the job summary to $GITHUB_STEP_SUMMARY: {e}");
        }
    }
    // The process ends here: freeing every record one by one would cost a
    // fifth of the run on a large repository, for memory the exit returns.
    drop(cx);
    std::mem::forget(report);
    Ok(status)
}

/// Write one `--output FORMAT=PATH` file, never in colour.
fn write_file(o: &OutputSpec, cx: &output::Context<'_>) -> std::io::Result<()> {
    if let Some(dir) = o.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(&o.path)?);
    output::write(o.format, &mut file, cx)?;
    file.flush()
}

/// A SARIF category ends in `/`: GitHub reads what follows the last `/` as a
/// run id, not as part of the category.
fn sarif_category(s: &str) -> String {
    let s = s.trim();
    if s.ends_with('/') {
        s.to_owned()
    } else {
        format!("{s}/")
    }
}

/// The nearest directory, from here upwards, that holds an `isms.yaml`.
fn find_root() -> Result<PathBuf, CliError> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let mut dir: &Path = &cwd;
    loop {
        if dir.join(MANIFEST).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => {
                return Err(format!(
                    "no {MANIFEST} here or in any parent directory: run `isms-lint check PATH`, or `isms-lint init` to start an ISMS repository"
                ))
            }
        }
    }
}

/// What `check` reads, and what git can say about it.
struct Selected {
    source: Box<dyn FileSource>,
    /// The repository, when the files come from git.
    git: Option<GitRepo>,
    /// The commit whose history dates the files (`None`: no commit yet).
    start: Option<CommitId>,
    /// What `--changed-since` compares with.
    target: Target,
    notes: Vec<String>,
}

/// In a git repository: the tracked files of the working tree, a revision
/// (`--rev`) or the index (`--staged`). Elsewhere, or with `--no-git`, the
/// directory as it is.
fn select_source(args: &CheckArgs, root: &Path) -> Result<Selected, CliError> {
    let git = if args.no_git {
        None
    } else {
        GitRepo::discover(root).map_err(|e| e.to_string())?
    };
    let Some(git) = git else {
        let needs_git = [
            (args.rev.is_some(), "--rev"),
            (args.staged, "--staged"),
            (args.changed_since.is_some(), "--changed-since"),
            (args.include_untracked, "--include-untracked"),
        ];
        if let Some((_, flag)) = needs_git.iter().find(|(set, _)| *set) {
            return Err(format!(
                "{flag} needs a git repository, and {} is not inside one",
                root.display()
            ));
        }
        let notes = if args.no_git {
            Vec::new()
        } else {
            vec![format!(
                "{} is not in a git repository: every file is read (except what .gitignore excludes), and history rules are skipped",
                root.display()
            )]
        };
        return Ok(Selected {
            source: Box::new(
                DirSource::new(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?,
            ),
            git: None,
            start: None,
            target: Target::Index,
            notes,
        });
    };

    if let Some(rev) = &args.rev {
        let source = git.revision(rev).map_err(|e| e.to_string())?;
        let start = source.commit();
        return Ok(Selected {
            target: match start {
                Some(c) => Target::Commit(c),
                None => {
                    return Err(format!(
                        "`{rev}` is a tree, not a commit: pass a commit, branch or tag"
                    ))
                }
            },
            source: Box::new(source),
            start,
            git: Some(git),
            notes: Vec::new(),
        });
    }
    let start = git.head().map_err(|e| e.to_string())?;
    if args.staged {
        return Ok(Selected {
            source: Box::new(git.index().map_err(|e| e.to_string())?),
            start,
            target: Target::Index,
            git: Some(git),
            notes: Vec::new(),
        });
    }
    if !args.include_untracked
        && args.config.is_none()
        && root.join(MANIFEST).is_file()
        && !git.is_tracked(MANIFEST).map_err(|e| e.to_string())?
    {
        return Err(format!(
            "{MANIFEST} is not tracked by git, and only tracked files are checked: `git add {MANIFEST}` (and the records), or pass --include-untracked, or --no-git to read the directory as it is"
        ));
    }
    let include_untracked = args.include_untracked;
    Ok(Selected {
        source: Box::new(git.worktree(include_untracked).map_err(|e| e.to_string())?),
        start,
        target: Target::WorkTree { include_untracked },
        git: Some(git),
        notes: Vec::new(),
    })
}

/// Date the files read from git, unless the history is missing or cut short;
/// then say why history rules stay silent.
fn read_history(git: &GitRepo, start: Option<CommitId>, repo: &mut Repository) {
    let note = if git.is_shallow() {
        "this is a shallow clone, whose history is cut short: history rules are skipped. Fetch the whole history: `fetch-depth: 0` on actions/checkout in GitHub Actions, `git fetch --unshallow` elsewhere".to_owned()
    } else if let Some(start) = start {
        let paths: Vec<String> = repo.files.iter().map(|f| f.path.clone()).collect();
        match git.history(start, &paths) {
            Ok(h) => {
                repo.history = Some(h);
                return;
            }
            Err(e) => format!("the git history could not be read ({e}): history rules are skipped"),
        }
    } else {
        "the repository has no commits yet: history rules are skipped".to_owned()
    };
    repo.stats.notes.push(note);
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
