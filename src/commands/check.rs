use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use isms_core::load::MANIFEST;
use isms_core::text::plural;
use isms_core::{
    check, load, CheckOptions, DirSource, FileSource, Interval, LoadError, LoadOptions, Report,
    Repository, Severity,
};
use isms_git::{CommitId, GitRepo, Target};

use super::{gate, select, today, CliError};
use crate::cli::{CheckArgs, Format, OutputSpec};
use crate::output;
use crate::ExitStatus;

pub fn run(args: CheckArgs, color: bool) -> Result<ExitStatus, CliError> {
    let mut at = None;
    let result = check_repository(&args, color, &mut at);
    if let Err(e) = &result {
        // Exit code 2: the CI formats still say why.
        let root = args
            .path
            .clone()
            .or_else(|| find_root().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let manifest = args.config.clone().unwrap_or_else(|| root.join(MANIFEST));
        let mut failure = output::failure::Failure::new(e.to_string(), &root, &manifest, at);
        failure.as_of = args.as_of.unwrap_or_else(today).to_string();
        failure.fail_on = args
            .fail_on
            .map_or(Severity::Error, Severity::from)
            .as_str();
        failure.sarif_category = sarif_category(&args.sarif_category);
        output::failure::emit(&failure, args.format, &args.output);
    }
    result
}

/// The check itself; `at` is set to the line and column of a manifest that
/// cannot be parsed.
fn check_repository(
    args: &CheckArgs,
    color: bool,
    at: &mut Option<(usize, usize)>,
) -> Result<ExitStatus, CliError> {
    let root = match &args.path {
        Some(p) => {
            if !p.is_dir() {
                return Err(CliError::NotADirectory(p.clone()));
            }
            p.clone()
        }
        None if args.config.is_some() => PathBuf::from("."),
        None => find_root()?,
    };
    let selected = select_source(args, &root)?;
    let load_options = LoadOptions {
        config: args.config.clone(),
        max_file_size: args.max_file_size,
    };
    let mut repo = load(&*selected.source, &load_options).inspect_err(|e| {
        if let LoadError::ManifestSyntax { line, column, .. }
        | LoadError::ManifestNotUtf8 { line, column, .. } = e
        {
            *at = Some((*line, *column));
        }
    })?;
    repo.stats.notes.extend(selected.notes.iter().cloned());
    if let Some(git) = &selected.git {
        read_history(git, selected.start, &mut repo);
    }
    let mut callouts = Vec::new();
    let changed = match (&selected.git, &args.changed_since) {
        (Some(git), Some(rev)) => {
            let changed = git.changed_since(rev, selected.target)?;
            repo.stats.notes.push(format!(
                "reporting only findings in the {} changed {}",
                plural(changed.files.len() as i64, "file"),
                changed.describe(rev)
            ));
            callouts = gate::callouts(git, changed.base, &repo, args.config.is_some())?;
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
    let mut notes = repo.stats.notes.clone();
    let mut report = check(repo, &opts);
    // Said after the report, where the hook's user reads its verdict.
    let mut last_note = None;
    if let (Some(git), true, false) = (&selected.git, args.staged, args.strict) {
        last_note = judge_the_commit(git, selected.start, &load_options, &opts, &mut report);
    }
    if let Some(changed) = changed {
        let Report { repo, findings, .. } = &mut report;
        findings.retain(|f| changed.files.contains(repo.path(f.file)));
    }
    notes.extend(select::apply(&mut report, &args.select, &args.ignore));
    // Counted on what is reported, once every filter has been applied.
    let advisory = report
        .findings
        .iter()
        .filter(|f| f.advisory && !f.is_waived())
        .count();
    if advisory > 0 {
        last_note = Some(advisory_note(advisory));
    }
    if !args.quiet {
        for note in &notes {
            eprintln!("note: {}", output::escape::terminal(note));
        }
    }
    // A change that weakens the check is said even with --quiet: it is what
    // a reviewer of the change must not miss.
    for c in &callouts {
        eprintln!("warning: {}", c.note());
    }
    notes.extend(callouts.iter().map(gate::Callout::note));
    notes.extend(last_note.clone());
    let status = if report.fails(fail_on) && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };

    let mut cx = output::Context::new(&report, &root);
    cx.fail_on = fail_on;
    cx.status = status;
    cx.notes = &notes;
    cx.show_waived = args.show_waived;
    cx.quiet = args.quiet;
    cx.sarif_category = sarif_category(&args.sarif_category);

    // Files first: a report on standard output is the last thing a user sees.
    for o in &args.output {
        write_file(o, &cx).map_err(|error| CliError::Write {
            path: o.path.clone(),
            error,
        })?;
    }
    let main = |out: &mut dyn Write, cx: &output::Context<'_>| -> std::io::Result<()> {
        if args.statistics {
            let text = match args.format {
                Format::Json => select::json(cx.report),
                _ => select::text(cx.report),
            };
            out.write_all(text.as_bytes())
        } else {
            output::write(args.format, out, cx)
        }
    };
    if let Some(path) = &args.output_file {
        let o = OutputSpec {
            format: args.format,
            path: path.clone(),
        };
        create_file(&o.path)
            .and_then(|mut file| main(&mut file, &cx).and_then(|()| file.flush()))
            .map_err(|error| CliError::Write {
                path: o.path.clone(),
                error,
            })?;
    } else {
        cx.color = color;
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let annotations = |out: &mut dyn Write| -> std::io::Result<()> {
            if args.format != Format::Github || args.statistics {
                return Ok(());
            }
            for c in &callouts {
                writeln!(
                    out,
                    "::warning file={},line={},col={},title={}::{}",
                    output::escape::workflow_property(&format!("{}{}", cx.prefix, c.path)),
                    c.line,
                    c.column,
                    output::escape::workflow_property("isms-lint: the check's settings changed"),
                    output::escape::workflow_data(&[format!("This change {}.", c.message)]),
                )?;
            }
            Ok(())
        };
        match main(&mut out, &cx)
            .and_then(|()| annotations(&mut out))
            .and_then(|()| out.flush())
        {
            // A reader that stops early (`isms-lint check | head`) ends the
            // output, not the check: the exit code still says what was found.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(CliError::Stdout(e));
            }
            _ => {}
        }
    }
    if let Some(note) = last_note.filter(|_| !args.quiet) {
        eprintln!("note: {note}");
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

/// A pre-commit hook judges the commit, not the calendar: a finding blocks
/// only when it is in a file the commit changes, or new compared with HEAD
/// (a reference the commit breaks elsewhere, a record it removes). Every
/// other finding was already there before the commit — a deadline that
/// passed, a problem in files it does not touch — and is marked advisory:
/// shown, never failing the run. `--strict` skips this.
///
/// HEAD's tree is checked the same way (same day, same settings, same
/// history) and the findings are compared by fingerprint. With no HEAD (the
/// first commit) or a HEAD that cannot be loaded, every finding blocks, and
/// the note returned says why.
fn judge_the_commit(
    git: &GitRepo,
    head: Option<CommitId>,
    load_options: &LoadOptions,
    opts: &CheckOptions,
    report: &mut Report,
) -> Option<String> {
    let head = head?;
    let before = (|| -> Result<Report, String> {
        let source = git.revision(&head.to_string()).map_err(|e| e.to_string())?;
        let mut before = load(&source, load_options).map_err(|e| e.to_string())?;
        read_history(git, Some(head), &mut before);
        Ok(check(before, opts))
    })();
    let committed = git.changed_since(&head.to_string(), Target::Index);
    let (before, committed) = match (before, committed) {
        (Ok(b), Ok(c)) => (b, c),
        (Err(e), _) => {
            return Some(format!(
                "HEAD could not be checked to compare with ({e}): every finding blocks this commit"
            ))
        }
        (_, Err(e)) => {
            return Some(format!(
                "the files this commit changes could not be listed ({e}): every finding blocks it"
            ))
        }
    };
    let known: HashSet<&str> = before
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let Report { repo, findings, .. } = report;
    for f in findings.iter_mut() {
        if !committed.files.contains(repo.path(f.file)) && known.contains(f.fingerprint.as_str()) {
            f.advisory = true;
        }
    }
    std::mem::forget(before);
    None
}

/// The one line a pre-commit hook prints about the findings it does not
/// block on, after the report.
fn advisory_note(n: usize) -> String {
    format!(
        "{} already there before this commit (the calendar, or files it does not change) {} shown but not blocking; `--strict` blocks on them too",
        plural(n as i64, "finding"),
        if n == 1 { "is" } else { "are" },
    )
}

/// A report file, its directory created if needed.
fn create_file(path: &Path) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    Ok(std::io::BufWriter::new(std::fs::File::create(path)?))
}

/// Write one `--output FORMAT=PATH` file, never in colour.
fn write_file(o: &OutputSpec, cx: &output::Context<'_>) -> std::io::Result<()> {
    let mut file = create_file(&o.path)?;
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
    let cwd = std::env::current_dir().map_err(CliError::CurrentDir)?;
    let mut dir: &Path = &cwd;
    loop {
        if dir.join(MANIFEST).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => return Err(CliError::NoRepositoryFound),
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
        GitRepo::discover(root)?
    };
    let Some(git) = git else {
        let needs_git = [
            (args.rev.is_some(), "--rev"),
            (args.staged, "--staged"),
            (args.changed_since.is_some(), "--changed-since"),
            (args.include_untracked, "--include-untracked"),
        ];
        if let Some((_, flag)) = needs_git.iter().find(|(set, _)| *set) {
            return Err(CliError::NeedsGit {
                flag,
                root: root.to_path_buf(),
            });
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
            source: Box::new(DirSource::new(root).map_err(|error| CliError::Read {
                path: root.to_path_buf(),
                error,
            })?),
            git: None,
            start: None,
            target: Target::Index,
            notes,
        });
    };

    if let Some(rev) = &args.rev {
        let source = git.revision(rev)?;
        let start = source.commit();
        return Ok(Selected {
            target: match start {
                Some(c) => Target::Commit(c),
                None => return Err(CliError::TreeNotCommit { rev: rev.clone() }),
            },
            source: Box::new(source),
            start,
            git: Some(git),
            notes: Vec::new(),
        });
    }
    let start = git.head()?;
    if args.staged {
        return Ok(Selected {
            source: Box::new(git.index()?),
            start,
            target: Target::Index,
            git: Some(git),
            notes: Vec::new(),
        });
    }
    if !args.include_untracked
        && args.config.is_none()
        && root.join(MANIFEST).is_file()
        && !git.is_tracked(MANIFEST)?
    {
        return Err(CliError::ManifestUntracked);
    }
    let include_untracked = args.include_untracked;
    Ok(Selected {
        source: Box::new(git.worktree(include_untracked)?),
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
