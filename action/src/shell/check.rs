//! Check mode's reading: the fix issues, and for each unverified one the
//! facts its evidence rests on (how the postmortem landed, the document on
//! the checked branch, the CI results and the lookups
//! [`postmortem_action::evidence::next_lookup`] asks for).

use std::collections::BTreeMap;

use postmortem_action::check::{
    self as checker, CheckInput, CiResult, DocumentFix, FixIssueSnapshot, Landing, ToRead,
};
use postmortem_action::event::Event;
use postmortem_action::evidence::{self, Lookup};
use postmortem_action::fixissue;
use postmortem_action::plan::Plan;

use super::gh::{Gh, GhError};
use super::{PER_ISSUE_COMMENT_READS, Run, gh_err, judge, read};

impl Run {
    pub(super) fn plan_check(
        &self,
        gh: Option<&Gh>,
        event: Option<&Event>,
    ) -> Result<Plan, String> {
        let default = self.default_branch(gh, event)?;
        let branch = self.config.check_branch.clone().unwrap_or(default);
        let issues: Vec<FixIssueSnapshot> = match (&self.args.state, gh) {
            (Some(path), _) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
                serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?
            }
            (None, Some(gh)) => self.fix_snapshots(gh, &branch).map_err(gh_err)?,
            (None, None) => Vec::new(),
        };
        let repository = self.var("GITHUB_REPOSITORY").unwrap_or_default();
        let (plan, _) = checker::plan(&CheckInput {
            config: &self.config,
            check_branch: &branch,
            now: self.now,
            repository,
            issues: &issues,
        });
        Ok(plan)
    }

    /// Open fix issues and those closed in the last 90 days, listed whole
    /// first; then per issue the Action's comments (when it has any) and
    /// one CI lookup (when its fix waits for one).
    fn fix_snapshots(&self, gh: &Gh, branch: &str) -> Result<Vec<FixIssueSnapshot>, GhError> {
        let mut issues = read::issues_labelled(gh, fixissue::FIX_LABEL, "open", None)?;
        let since = self.now - chrono::Duration::days(90);
        for i in read::issues_labelled(gh, fixissue::FIX_LABEL, "closed", Some(since))? {
            if !i
                .label_names()
                .iter()
                .any(|l| l.eq_ignore_ascii_case(checker::VERIFIED_LABEL))
            {
                issues.push(i);
            }
        }
        // The Action's comments: none to read on an issue without
        // comments; per issue for a few; for many, the repository's
        // comment list since the oldest such issue, in pages.
        let commented: Vec<&read::Issue> = issues.iter().filter(|i| i.comments > 0).collect();
        let mut by_issue = if commented.len() > PER_ISSUE_COMMENT_READS {
            let since = commented
                .iter()
                .map(|i| i.created_at)
                .min()
                .unwrap_or(self.now);
            read::bot_comments_since(gh, since, &self.config.bot_login)?
        } else {
            None
        };
        let mut cache: BTreeMap<String, Vec<CiResult>> = BTreeMap::new();
        let mut out = Vec::with_capacity(issues.len());
        for i in issues {
            let body = i.body_text();
            let labels = i.label_names();
            let bot_comments = match (&mut by_issue, i.comments > 0) {
                (_, false) => Vec::new(),
                (Some(map), true) => map.remove(&i.number).unwrap_or_default(),
                (None, true) => read::bot_comments(gh, i.number, &self.config.bot_login)?,
            };
            let mut snapshot = FixIssueSnapshot {
                number: i.number,
                html_url: i.html_url.clone(),
                open: i.state == "open",
                created_at: i.created_at,
                labels,
                body,
                bot_comments,
                results: Vec::new(),
                document_fix: None,
                landing: Landing::Unknown,
            };
            if let Some(to_read) = checker::what_to_read(&snapshot.body, &snapshot.labels, branch) {
                self.evidence_facts(gh, branch, &to_read, &mut snapshot, &mut cache)?;
            }
            out.push(snapshot);
        }
        Ok(out)
    }

    /// The facts a fix's evidence rests on: the document on the checked
    /// branch, how the postmortem landed there, the CI results of its
    /// binding, and the lookups the evidence rules ask for, earliest result
    /// first, until they have their answer.
    fn evidence_facts(
        &self,
        gh: &Gh,
        branch: &str,
        to_read: &ToRead,
        snapshot: &mut FixIssueSnapshot,
        cache: &mut BTreeMap<String, Vec<CiResult>>,
    ) -> Result<(), GhError> {
        let document = read::file(gh, to_read.document.as_str(), branch)?;
        snapshot.document_fix = document
            .as_deref()
            .and_then(|text| judge(text).0)
            .map(|pm| DocumentFix::of(&pm));
        let Some(binding) = &to_read.binding else {
            return Ok(());
        };
        snapshot.landing = match checker::landing_from_comments(&snapshot.bot_comments) {
            Some(l) => l,
            None => match read::merged_pull(gh, &to_read.branch)? {
                Some(l) => l,
                None if document.is_some() => Landing::OnBranch,
                None => Landing::NotYet,
            },
        };
        let since = match &snapshot.landing {
            Landing::Merged { merged_at, .. } => *merged_at,
            Landing::NotYet => return Ok(()),
            _ => snapshot.created_at,
        };
        let key = format!(
            "{}:{}:{}:{}:{}",
            binding.kind(),
            binding.target(),
            binding.branch(),
            binding.detail().unwrap_or_default(),
            since.date_naive()
        );
        let results = match cache.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = read::ci_results(gh, binding, since)?;
                cache.insert(key, r.clone());
                r
            }
        };
        snapshot.results = results;
        let repository = gh.repo.clone();
        loop {
            let cx = evidence::Context {
                binding,
                landing: &snapshot.landing,
                opened_at: snapshot.created_at,
                repository: &repository,
            };
            let Some(lookup) = evidence::next_lookup(&cx, &snapshot.results) else {
                return Ok(());
            };
            match lookup {
                Lookup::ContainsLanding { index } => {
                    let r = &mut snapshot.results[index];
                    let contains = match (&cx.landing, &r.head_sha) {
                        (Landing::Merged { sha, .. }, Some(head)) => read::contains(gh, sha, head)?,
                        _ => false,
                    };
                    snapshot.results[index].contains_landing = Some(contains);
                }
                Lookup::Job { index } => {
                    let r = &snapshot.results[index];
                    let job = match (r.run_id, binding.detail()) {
                        (Some(id), Some(name)) => read::job(gh, id, name)?,
                        _ => None,
                    };
                    snapshot.results[index].job = Some(job);
                }
            }
        }
    }
}
