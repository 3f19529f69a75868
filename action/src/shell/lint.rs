//! Lint mode: the postmortem documents a pull request touches, judged by
//! the core; findings are annotations on their lines, errors fail the job.

use postmortem_action::commands::{Annotation, AnnotationLevel};
use postmortem_action::config::Mode;
use postmortem_action::event::{Event, Trigger};
use postmortem_action::files;
use postmortem_action::open::FindingSeverity;
use postmortem_action::plan::Plan;

use super::gh::Gh;
use super::{Run, gh_err, judge, read};

impl Run {
    /// Lint mode: the postmortem documents a pull request touches,
    /// findings as annotations on their lines; fails on errors.
    pub(super) fn lint(&self, gh: &Gh, event: Option<&Event>) -> Result<u8, String> {
        let Some(Event {
            trigger: Trigger::PullRequest(pr),
            ..
        }) = event
        else {
            println!("Nothing to do: lint mode reads pull_request events");
            return Ok(0);
        };
        let changed = gh
            .get_all(
                &gh.r(&format!("/pulls/{}/files?per_page=100", pr.number)),
                None,
                30,
            )
            .map_err(gh_err)?;
        let mut annotations = Vec::new();
        let mut summary = vec![
            "### Postmortem lint".to_owned(),
            String::new(),
            "| Document | Errors | Warnings |".to_owned(),
            "|---|---|---|".to_owned(),
        ];
        let mut failed = 0;
        let mut seen = 0;
        for f in changed {
            let path = f["filename"].as_str().unwrap_or_default();
            if f["status"].as_str() == Some("removed")
                || !files::matches_document_pattern(&self.config.document_path, path)
            {
                continue;
            }
            seen += 1;
            let Some(text) = read::file(gh, path, &pr.head_sha).map_err(gh_err)? else {
                continue;
            };
            let (_, findings) = judge(&text);
            let (mut e, mut w) = (0, 0);
            for x in &findings {
                let level = match x.severity {
                    FindingSeverity::Error => {
                        e += 1;
                        AnnotationLevel::Error
                    }
                    FindingSeverity::Warning => {
                        w += 1;
                        AnnotationLevel::Warning
                    }
                };
                annotations.push(Annotation {
                    level,
                    file: Some(path.to_owned()),
                    line: x.line,
                    title: format!("{} {}", x.code, x.rule),
                    message: x.message.clone(),
                });
            }
            if e > 0 {
                failed += 1;
            }
            summary.push(format!(
                "| `{}` | {e} | {w} |",
                postmortem_action::text::table_cell(path)
            ));
        }
        if seen == 0 {
            summary.push("| — | no postmortem documents changed | — |".into());
        }
        let mut plan = Plan::new(Mode::Lint);
        plan.annotations = annotations;
        plan.summary = summary;
        if failed > 0 {
            plan.fail(format!("{failed} postmortem document(s) have errors"));
        }
        self.finish(None, plan, Default::default(), None)
    }
}
