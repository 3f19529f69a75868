//! The fix issue: the one chain-level fix of a postmortem, owned and dated,
//! as a GitHub issue the checker verifies before its due date.
//!
//! Its body is for people (the fix, the test, the owner, the due date,
//! links) and ends with a block for the Action:
//!
//! ```text
//! <!-- postmortem-fix {"v":1,"incident":"INC-2026-0142",…,"digest":"sha256:…"} -->
//! ```
//!
//! The block is the only part the checker reads. GitHub issues have no due
//! date of their own (a milestone's `due_on` is floored to US-Pacific
//! midnight), so the real due date lives here. Anyone who can edit the
//! issue can edit the block, so the block is sealed with a SHA-256 digest
//! of its canonical JSON: a hand edit that does not recompute the digest is
//! DETECTED and reported, never trusted. An unkeyed digest cannot stop
//! someone who recomputes it on purpose; for that the checker also compares
//! the block with the document merged on the default branch when the shell
//! supplies it (see [`crate::check::FixIssueSnapshot::document_fix`]).

use std::fmt;

use chrono::NaiveDate;
use postmortem_model::{ChainLevel, IncidentId, Login, Postmortem, RepoPath, TestBinding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::{Piece, Target, Text};
use crate::text::neutralise;

/// The label every fix issue carries.
pub const FIX_LABEL: &str = "postmortem-fix";

/// The block's opening, to find it in a body.
pub const BLOCK_OPEN: &str = "<!-- postmortem-fix ";
const BLOCK_CLOSE: &str = " -->";

/// The version of the block's JSON this build writes and reads.
pub const BLOCK_VERSION: u32 = 1;

/// The facts the checker acts on, as the Action wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixBlock {
    /// Always [`BLOCK_VERSION`].
    pub v: u32,
    /// The incident the postmortem is bound to.
    pub incident: IncidentId,
    /// The level the fix acts on.
    pub level: ChainLevel,
    /// Who owns the fix.
    pub owner: Login,
    /// The day by which the fix is live and its test has passed.
    pub due: NaiveDate,
    /// The CI result that proves the fix, if a machine can check it.
    pub binding: Option<TestBinding>,
    /// Where the postmortem document lives.
    pub document: RepoPath,
    /// The postmortem branch, `postmortem/<incident>`; its PR is found by
    /// this head branch (the PR may not exist yet when the block is
    /// written, so its number is not part of the sealed content).
    pub branch: String,
}

/// The block as stored, with its seal.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedBlock {
    #[serde(flatten)]
    block: FixBlock,
    digest: String,
}

impl FixBlock {
    /// `sha256:<hex>` of the block's canonical JSON (fields in declaration
    /// order, no whitespace).
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_string(self).unwrap_or_default();
        let hash = Sha256::digest(canonical.as_bytes());
        let mut hex = String::with_capacity(64);
        for b in hash {
            hex.push_str(&format!("{b:02x}"));
        }
        format!("sha256:{hex}")
    }

    /// The sealed block as it stands at the end of the body: one line, an
    /// HTML comment. `>` inside strings is written `\u003e` so no value can
    /// end the comment.
    pub fn render(&self) -> String {
        let sealed = SealedBlock {
            block: self.clone(),
            digest: self.digest(),
        };
        let json = serde_json::to_string(&sealed)
            .unwrap_or_default()
            .replace('>', "\\u003e");
        format!("{BLOCK_OPEN}{json}{BLOCK_CLOSE}")
    }
}

/// What the checker finds in a fix issue's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum BlockState {
    /// The block is there and its seal holds.
    Sealed {
        /// The block.
        block: FixBlock,
    },
    /// There is no block.
    Missing,
    /// The block was changed by hand or cannot be read; not trusted.
    Tampered {
        /// What is wrong, for the report.
        reason: String,
        /// A short fingerprint of the block's text as found, so the same
        /// tampering is reported once, and a new one again.
        fingerprint: String,
    },
}

/// Reads the block at the end of a fix issue body.
pub fn parse_block(body: &str) -> BlockState {
    let starts: Vec<usize> = body.match_indices(BLOCK_OPEN).map(|(i, _)| i).collect();
    let Some(&start) = starts.first() else {
        return BlockState::Missing;
    };
    let rest = &body[start + BLOCK_OPEN.len()..];
    let raw_end = rest.find(BLOCK_CLOSE.trim_start()).unwrap_or(rest.len());
    let raw = &rest[..raw_end];
    let tampered = |reason: String| BlockState::Tampered {
        reason,
        fingerprint: fingerprint(raw),
    };
    if starts.len() > 1 {
        return tampered(format!(
            "the body holds {} postmortem-fix blocks; the Action writes one",
            starts.len()
        ));
    }
    if raw_end == rest.len() {
        return tampered("the block's closing `-->` is missing".into());
    }
    let sealed: SealedBlock = match serde_json::from_str(raw.trim()) {
        Ok(s) => s,
        Err(e) => {
            return tampered(format!(
                "the block is not the Action's JSON: {}",
                postmortem_model::json_error_message(&e)
            ));
        }
    };
    if sealed.block.v != BLOCK_VERSION {
        return tampered(format!(
            "the block has version {}; this build reads version {BLOCK_VERSION}",
            sealed.block.v
        ));
    }
    let expected = sealed.block.digest();
    if sealed.digest != expected {
        return tampered(
            "the block was edited by hand: its digest no longer matches its content".into(),
        );
    }
    BlockState::Sealed {
        block: sealed.block,
    }
}

/// The block for a postmortem whose document lives at `document`, when
/// its fix is complete (an incident id, and the fix's level, owner and due
/// date).
pub fn block_for(pm: &Postmortem, document: &RepoPath) -> Option<FixBlock> {
    let incident = pm.incident.id.clone()?;
    Some(FixBlock {
        v: BLOCK_VERSION,
        branch: format!("postmortem/{incident}"),
        incident,
        level: pm.fix.level?,
        owner: pm.fix.owner.clone()?,
        due: pm.fix.due?,
        binding: pm.fix.test.binding.clone(),
        document: document.clone(),
    })
}

/// The labels a fix issue carries: the fix label and its chain level's.
pub fn labels(block: &FixBlock) -> Vec<String> {
    vec![
        FIX_LABEL.to_owned(),
        format!("chain-{}", block.level.code()),
    ]
}

/// A short, stable fingerprint of some text (first 12 hex digits of its
/// SHA-256).
pub fn fingerprint(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Everything the fix issue's body says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixIssueContent {
    /// The sealed facts.
    pub block: FixBlock,
    /// What changes, at the level (from the document).
    pub statement: String,
    /// What proves it (from the document).
    pub test_statement: String,
    /// The document's web URL on the postmortem branch.
    pub document_url: String,
    /// The postmortem pull request; `None` once it is merged and gone.
    pub pull_request: Option<Target>,
    /// The intake issue, when the postmortem came from one.
    pub intake_issue: Option<u64>,
    /// The zone a due day ends in, shown next to the date.
    pub zone: String,
    /// The repository, when GitHub would not let the owner be assigned in
    /// it: the body names the owner and says so.
    pub unassignable_in: Option<String>,
}

impl FixIssueContent {
    /// The body's content for a postmortem's fix, its document at
    /// `document_url`, a due day ending in `zone`; no links to a pull
    /// request or an intake issue yet, and an owner GitHub can assign.
    pub fn new(block: FixBlock, pm: &Postmortem, document_url: String, zone: String) -> Self {
        FixIssueContent {
            block,
            statement: pm.fix.statement.clone(),
            test_statement: pm.fix.test.statement.clone(),
            document_url,
            pull_request: None,
            intake_issue: None,
            zone,
            unassignable_in: None,
        }
    }
}

/// The fix issue's title: the incident, the level and the due date, and
/// no free text, so nothing in it can mention anyone.
pub fn title(block: &FixBlock) -> String {
    format!(
        "Postmortem {}: {} fix, due {}",
        block.incident,
        block.level.label(),
        block.due
    )
}

/// How a binding reads in a body: what result on which branch proves it,
/// and who must have posted it.
pub fn describe_binding(binding: &TestBinding) -> String {
    let code = |s: &str| neutralise(s).replace('`', "'");
    match binding {
        TestBinding::Workflow {
            workflow,
            branch,
            job,
        } => match job {
            None => format!(
                "a successful run of workflow `{}` on `{}`",
                code(workflow),
                code(branch)
            ),
            Some(job) => format!(
                "a successful job `{}` in a run of workflow `{}` on `{}`",
                code(job),
                code(workflow),
                code(branch)
            ),
        },
        TestBinding::CheckRun { name, branch, app } => format!(
            "a successful check run `{}` on `{}` posted by the app `{}`",
            code(name),
            code(branch),
            code(app)
        ),
        TestBinding::Status {
            context,
            branch,
            creator,
        } => format!(
            "a successful commit status `{}` on `{}` posted by `{}`",
            code(context),
            code(branch),
            code(creator)
        ),
    }
}

/// The fix issue's body.
pub fn render_body(c: &FixIssueContent) -> Text {
    let b = &c.block;
    let mut t = Text::default();
    t.push(format!(
        "## Chain-level fix at {}\n\n\
         | | |\n|---|---|\n\
         | Incident | {} |\n\
         | Level | {} |\n\
         | Owner | `{}`{} |\n\
         | Due | **{}** (end of day, {}) |\n\n",
        b.level.label(),
        b.incident,
        b.level.label(),
        b.owner,
        c.unassignable_in.as_ref().map_or_else(String::new, |repo| format!(
            " (GitHub cannot assign them in {repo}: give them access, then assign them this issue)"
        )),
        b.due,
        c.zone,
    ));
    t.push("### The fix\n\n");
    t.push(clipped(&neutralise(&c.statement)));
    t.push("\n\n### The test\n\n");
    t.push(clipped(&neutralise(&c.test_statement)));
    t.push("\n\n");
    match &b.binding {
        Some(binding) => t.push(format!(
            "Verified by the Action: {}, on or before the due date.\n\n",
            describe_binding(binding)
        )),
        None => t.push(
            "No CI result is bound to this test: close this issue by hand once the test has passed.\n\n",
        ),
    };
    t.push(format!(
        "### Links\n\n- Postmortem document: [{}]({}) (under review on `{}` until its pull request is merged)\n",
        b.document, c.document_url, b.branch
    ));
    match c.pull_request {
        Some(Target::Number(n)) => {
            t.push(format!("- Pull request: #{n}\n"));
        }
        Some(Target::Planned(p)) => {
            t.push("- Pull request: ");
            t.push_piece(Piece::Ref(p));
            t.push("\n");
        }
        None => {}
    }
    if let Some(n) = c.intake_issue {
        t.push(format!("- Intake issue: #{n}\n"));
    }
    t.push(
        "\n<sub>The Action keeps this issue's state. The line below is its record of the fix; \
         a hand edit is detected and reported, not followed. Change the fix through the \
         postmortem document instead.</sub>\n\n",
    );
    t.push(b.render());
    t.push("\n");
    t
}

/// The most characters of one statement a fix issue body shows: two of
/// them and the rest of the body stay within GitHub's 65,536.
const STATEMENT_CHARS: usize = 25_000;

/// `text`, cut at a line to [`STATEMENT_CHARS`] with a line saying so.
fn clipped(text: &str) -> String {
    if text.chars().count() <= STATEMENT_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(STATEMENT_CHARS).collect();
    if let Some(line) = cut.rfind('\n') {
        cut.truncate(line);
    }
    cut.push_str("\n\n… (cut here: the whole text is in the postmortem document)");
    cut
}

/// Why the block disagrees with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement(pub Vec<&'static str>);

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the block's {} differ from the postmortem document",
            self.0.join(", ")
        )
    }
}

/// Compares the block with the fix as the merged document states it.
pub fn compare_with_document(
    block: &FixBlock,
    level: Option<ChainLevel>,
    owner: Option<&Login>,
    due: Option<NaiveDate>,
    binding: Option<&TestBinding>,
) -> Result<(), Disagreement> {
    let mut fields = Vec::new();
    if level != Some(block.level) {
        fields.push("level");
    }
    if owner != Some(&block.owner) {
        fields.push("owner");
    }
    if due != Some(block.due) {
        fields.push("due date");
    }
    if binding != block.binding.as_ref() {
        fields.push("test binding");
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(Disagreement(fields))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn block() -> FixBlock {
        FixBlock {
            v: BLOCK_VERSION,
            incident: "INC-2026-0142".parse().unwrap(),
            level: ChainLevel::L3,
            owner: "senior-dev".parse().unwrap(),
            due: NaiveDate::from_ymd_opt(2026, 5, 30).unwrap(),
            binding: Some(TestBinding::new("workflow", "cold-start.yml", "main", "").unwrap()),
            document: "runbooks/postmortems/2026-05-20-queue-render.md"
                .parse()
                .unwrap(),
            branch: "postmortem/INC-2026-0142".into(),
        }
    }

    fn content() -> FixIssueContent {
        FixIssueContent {
            block: block(),
            statement: "The cold-cache warming job ships this cycle. Ask @maya <b>now</b>".into(),
            test_statement: "queue.render.p95 stays < 500ms".into(),
            document_url: "https://github.com/acme/app/blob/postmortem/INC-2026-0142/runbooks/postmortems/2026-05-20-queue-render.md".into(),
            pull_request: Some(Target::Number(41)),
            intake_issue: Some(12),
            zone: "UTC".into(),
            unassignable_in: None,
        }
    }

    #[test]
    fn a_rendered_body_reads_back_sealed() {
        let body = render_body(&content()).as_literal().unwrap();
        assert_eq!(parse_block(&body), BlockState::Sealed { block: block() });
        assert!(body.contains("@\u{200B}maya"));
        assert!(body.contains("&lt;b&gt;now&lt;/b&gt;"));
        assert!(body.contains("| Due | **2026-05-30** (end of day, UTC) |"));
        assert!(body.contains("- Pull request: #41"));
        assert!(body.contains("a successful run of workflow `cold-start.yml` on `main`"));
    }

    #[test]
    fn a_hand_edit_is_detected() {
        let body = render_body(&content()).as_literal().unwrap();
        let edited = body.replace("2026-05-30\"", "2026-06-30\"");
        assert_ne!(edited, body);
        let BlockState::Tampered { reason, .. } = parse_block(&edited) else {
            panic!("edit not detected")
        };
        assert!(reason.contains("edited by hand"));
        // Same edit, same fingerprint; another edit, another one.
        let again = parse_block(&edited);
        let other = parse_block(&body.replace("senior-dev\"", "someone\""));
        assert_eq!(parse_block(&edited), again);
        assert_ne!(format!("{:?}", again), format!("{:?}", other));
    }

    #[test]
    fn missing_broken_and_doubled_blocks() {
        assert_eq!(parse_block("no block here"), BlockState::Missing);
        assert!(matches!(
            parse_block("<!-- postmortem-fix {not json} -->"),
            BlockState::Tampered { .. }
        ));
        assert!(matches!(
            parse_block("<!-- postmortem-fix {\"v\":1}"),
            BlockState::Tampered { .. }
        ));
        let one = block().render();
        assert!(matches!(
            parse_block(&format!("{one}\n{one}")),
            BlockState::Tampered { reason, .. } if reason.contains("2 postmortem-fix blocks")
        ));
        // An added field is not the Action's block.
        let extra = one.replacen("{\"v\":1,", "{\"v\":1,\"trusted\":true,", 1);
        assert!(matches!(parse_block(&extra), BlockState::Tampered { .. }));
    }

    #[test]
    fn no_value_can_end_the_comment() {
        let mut b = block();
        b.binding = Some(TestBinding::new("check-run", "a --> b", "main", "ci-app").unwrap());
        let rendered = b.render();
        assert_eq!(rendered.matches("-->").count(), 1);
        assert_eq!(parse_block(&rendered), BlockState::Sealed { block: b });
    }

    #[test]
    fn titles_hold_no_free_text() {
        assert_eq!(
            title(&block()),
            "Postmortem INC-2026-0142: L3 Scope fix, due 2026-05-30"
        );
    }

    #[test]
    fn the_block_is_compared_with_the_document() {
        let b = block();
        assert!(
            compare_with_document(
                &b,
                Some(ChainLevel::L3),
                Some(&b.owner),
                Some(b.due),
                b.binding.as_ref()
            )
            .is_ok()
        );
        let err = compare_with_document(&b, Some(ChainLevel::L5), Some(&b.owner), None, None)
            .unwrap_err();
        assert_eq!(err.0, vec!["level", "due date", "test binding"]);
    }

    proptest! {
        #[test]
        fn any_body_parses_without_panicking(s in any::<String>()) {
            let _ = parse_block(&s);
            let _ = parse_block(&format!("{BLOCK_OPEN}{s}"));
            let _ = parse_block(&format!("{BLOCK_OPEN}{s} -->"));
        }

        #[test]
        fn any_text_around_the_block_keeps_it_sealed(before in any::<String>(), after in any::<String>()) {
            prop_assume!(!before.contains(BLOCK_OPEN) && !after.contains(BLOCK_OPEN));
            let body = format!("{before}\n{}\n{after}", block().render());
            prop_assert_eq!(parse_block(&body), BlockState::Sealed { block: block() });
        }
    }
}
