use crate::finding::Severity;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the loader: the YAML (or the front matter) is malformed.
pub struct ParseError;

static META: RuleMeta = RuleMeta {
    id: RuleId::ParseError,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause:
        "ISO/IEC 27001:2022 7.5.2 (documented information is properly identified and formatted)",
    summary: "A file is not well-formed YAML, or its front matter is not closed",
    what: "The YAML of a record file, or the front matter block of a Markdown file, cannot be \
parsed: a syntax error, a key given twice in the same mapping, nesting deeper than 64 levels, \
aliases that expand to more than 100 000 values, or front matter opened with `---` and never \
closed.\n\n\
No record of a file that cannot be parsed is read. The rules that depend on its records stay \
silent rather than report them as absent; where one must still speak — no internal audit can \
be read at all because the register is broken — its message says the records could not be \
read and points here, at the cause. The kind of the lost records is taken from the file's \
`kind:` line, or else from the place it is in (`paths` in `isms.yaml`).",
    why: "A record that does not parse is not evidence: isms-lint cannot read its dates, so the \
deadlines it sets are not checked. A duplicate key is worse: other tools silently keep one of \
the two values, so the record says something different depending on who reads it.",
    example: crate::rules::Example::new(
        &[(
            "actions/CA-2025-004.yaml",
            "\
kind: corrective-action
id: CA-2025-004
title: Enforce MFA on the VPN
status: open
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-06-30
status: in-progress
updated: 2025-05-12
",
        )],
        "2025-05-20",
        &[(
            "actions/CA-2025-004.yaml",
            "\
kind: corrective-action
id: CA-2025-004
title: Enforce MFA on the VPN
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-06-30
status: in-progress
updated: 2025-05-12
",
        )],
    ),
    fix: "Correct the YAML at the line shown. For a duplicate key, keep the value that is true \
and delete the other. Close front matter with a line holding only `---`.",
    options: &[],
    deadlines: false,
};

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for p in cx.problems() {
            let f = match &p.what {
                ProblemKind::Yaml(e) => {
                    let mut f = cx.finding(p.file, p.span).message(e.message.clone());
                    if let Some((span, msg)) = &e.related {
                        f = f.related(p.file, *span, msg.clone());
                    }
                    f
                }
                ProblemKind::UnclosedFrontMatter => cx.finding(p.file, p.span).message(
                    "front matter opened with `---` on line 1 is never closed: add a line `---` after the last key",
                ),
                _ => continue,
            };
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "parse-error";
    const DAY: &str = "2025-06-01";

    /// The related places of the rule's findings, as `line:column: message`.
    fn related(repo: &TestRepo) -> Vec<Vec<String>> {
        let report = repo.report(DAY);
        report
            .findings
            .iter()
            .filter(|f| f.rule == RULE)
            .map(|f| {
                f.related
                    .iter()
                    .map(|r| {
                        let at = report.repo.file(r.file).line_col(r.span.start);
                        format!("{}:{}: {}", at.line, at.column, r.message)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn well_formed_yaml_is_clean() {
        let r = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Laptop theft\n");
        assert!(r.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn a_syntax_error() {
        let r = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: R-1\ncontrols: [\"8.1\"\n");
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["risks/r.yaml:4:1: error[parse-error] invalid YAML: a list written `[ … ]` is not closed, or two of its items lack a `,` between them (while parsing a flow sequence, expected ',' or ']')"]
        );
        assert_eq!(related(&r), [["3:11: the list `[` opened here"]]);
    }

    #[test]
    fn a_duplicate_key_points_at_the_first() {
        let r = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: MFA\nstatus: open\nowner: Ann\nstatus: closed\n",
        );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["actions/ca.yaml:6:1: error[parse-error] duplicate key `status`: it is already set above, and this second value is ignored"]
        );
        assert_eq!(related(&r), [["4:1: first set here"]]);
    }

    #[test]
    fn front_matter_that_is_never_closed() {
        let r = TestRepo::new().file(
            "policies/p.md",
            "---\nkind: policy\nid: POL-1\ntitle: Access\n# Access\n",
        );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["policies/p.md:1:1: error[parse-error] front matter opened with `---` on line 1 is never closed: add a line `---` after the last key"]
        );
        // Outside the places of records, only when it looks like a record.
        let docs = |text: &str| {
            TestRepo::new()
                .file("docs/notes.md", text)
                .check_rule(RULE, DAY)
        };
        assert_eq!(docs("---\nkind: policy\nid: POL-1\n").len(), 1);
        assert!(docs("---\ntitle: Notes\n").is_empty());
    }

    #[test]
    fn in_the_manifest_and_the_waivers_file() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nwaivers-file: waivers.yaml\nscope: a\nscope: b\n")
            .file("waivers.yaml", "waivers: a: b\n");
        assert_eq!(
            r.check_rule(RULE, DAY),
            [
                "isms.yaml:5:1: error[parse-error] duplicate key `scope`: it is already set above, and this second value is ignored",
                "waivers.yaml:1:11: error[parse-error] invalid YAML: a `key: value` cannot start here; check this line's indentation against the lines above, or put the value in quotes if it contains `: ` (mapping values are not allowed in this context)",
            ]
        );
        // Not every error has a second place to show.
        assert_eq!(related(&r)[1], Vec::<String>::new());
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    parse-error: warning\n")
            .file("risks/r.yaml", "kind: risk\nkind: risk\n");
        assert!(r.check_rule(RULE, DAY)[0].contains("warning[parse-error]"));
    }
}
