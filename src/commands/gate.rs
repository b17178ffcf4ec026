//! `--changed-since`: a change to the check's own settings — a rule turned
//! off or lowered in `lint.rules`, a waiver added or extended, `fail-on`
//! raised — is called out, whatever else the pull request changes, and
//! whichever files the report is narrowed to.

use isms_core::gate::{setting_changes, SettingChange};
use isms_core::load::{DEFAULT_MAX_FILE_SIZE, MANIFEST};
use isms_core::source::SourceFile;
use isms_core::yaml::{self, Node, Seg};
use isms_core::{FileSource, Repository};
use isms_git::{CommitId, GitRepo};

/// One change, located in the file as it is now: at the setting's value,
/// or at the waiver entry added or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callout {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Callout {
    /// "isms.yaml:7:5: this change turns `risk-owner-missing` off".
    pub fn note(&self) -> String {
        format!(
            "{}:{}:{}: this change {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// How the manifest and the waivers file changed between the merge base
/// `base` and what is checked. A manifest given with `--config` is not the
/// repository's: only the waivers file is compared then.
pub fn callouts(
    git: &GitRepo,
    base: CommitId,
    repo: &Repository,
    config_given: bool,
) -> Result<Vec<Callout>, isms_git::Error> {
    // An ISMS root that did not exist yet at the base had no settings: all
    // of today's are the change's.
    let before = match git.revision(&base.to_string()) {
        Ok(source) => Some(source),
        Err(isms_git::Error::RootMissingAt { .. }) => None,
        Err(e) => return Err(e),
    };
    let read = |path: &str| -> Node {
        let text = before
            .as_ref()
            .and_then(|b| b.read(path, DEFAULT_MAX_FILE_SIZE).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        parse(path, &text)
    };
    let mut out = Vec::new();
    let manifest_before = read(MANIFEST);
    if !config_given {
        let file = repo.file(repo.manifest_file);
        locate(
            setting_changes(&manifest_before, &repo.manifest_node),
            &repo.manifest_node,
            file,
            &mut out,
        );
    }
    // The waivers file, as each side's manifest names it.
    let before_path = manifest_before
        .get("waivers-file")
        .and_then(Node::as_text)
        .map(|p| p.trim().trim_start_matches("./").to_owned());
    let waivers_before = before_path.as_deref().map(read).unwrap_or_else(empty);
    let (waivers_after, file) = match &repo.waivers_file {
        Some((id, node)) => (node.clone(), Some(repo.file(*id))),
        None => (empty(), None),
    };
    let changes = setting_changes(&waivers_before, &waivers_after);
    match file {
        Some(file) => locate(changes, &waivers_after, file, &mut out),
        // The waivers file is gone: its waivers were removed, seen from the
        // manifest.
        None => {
            let manifest = repo.file(repo.manifest_file);
            locate(changes, &repo.manifest_node, manifest, &mut out);
        }
    }
    Ok(out)
}

fn locate(changes: Vec<SettingChange>, node: &Node, file: &SourceFile, out: &mut Vec<Callout>) {
    for c in changes {
        // `waivers.2`: a number is an index in a sequence.
        let span = node.locate(c.key.split('.').map(|seg| match seg.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(seg),
        }));
        let at = file.line_col(span.start);
        out.push(Callout {
            path: file.path.clone(),
            line: at.line,
            column: at.column,
            message: c.message,
        });
    }
}

/// The first document of `text`, or an empty mapping when there is none
/// (a file that did not exist, or could not be parsed).
fn parse(path: &str, text: &str) -> Node {
    let file = SourceFile::new(path, text);
    let mut parsed = yaml::parse(&file, text, 1);
    if parsed.fatal || parsed.documents.is_empty() {
        return empty();
    }
    parsed.documents.swap_remove(0)
}

fn empty() -> Node {
    let file = SourceFile::new("", "{}\n");
    yaml::parse(&file, "{}\n", 1)
        .documents
        .pop()
        .expect("`{}` is a document")
}
