//! What proves a fix shipped: the rules a CI result must meet before the
//! checker counts it, as pure functions over the facts the shell read.
//!
//! A result counts only when:
//!
//! - it succeeded (for a workflow bound to one job, that job did);
//! - it is on the checked branch: a workflow run's branch, from a push,
//!   schedule or manual run of this repository (a pull request's run, a
//!   fork's commit, name any branch they like); a check run or status on
//!   the branch's head;
//! - the app (check run) or account (status) the binding names posted it:
//!   anyone with write access can post either under any name;
//! - it ran after the postmortem landed ([`Landing`]): on a commit that
//!   contains the postmortem's merge, or, when the document reached the
//!   branch some other way, after the fix issue was opened. Before the
//!   postmortem is on the branch, nothing counts.
//!
//! Some facts cost a request each (does this commit contain the merge?
//! did this job pass?), so the shell asks [`next_lookup`] which one to read
//! next, earliest result first, and stops as soon as [`select`] has its
//! answer.

use chrono::{DateTime, Utc};
use postmortem_model::TestBinding;
use serde::{Deserialize, Serialize};

/// One CI result the shell found for a binding: a workflow run, a check
/// run or a commit status, read into the Action's own shape (octocrab's
/// models mark some nullable fields as required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiResult {
    /// `success` counts; anything else does not. For a commit status this
    /// is its `state`, for runs their `conclusion`.
    pub conclusion: Option<String>,
    /// The branch the result is on (a run's `head_branch`; for check runs
    /// and statuses the branch whose head the shell asked about).
    pub branch: Option<String>,
    /// When it completed (a status's `updated_at`).
    pub completed_at: Option<DateTime<Utc>>,
    /// Its web page.
    pub html_url: String,
    /// The commit it is for.
    #[serde(default)]
    pub head_sha: Option<String>,
    /// A workflow run's id (its jobs are read by it).
    #[serde(default)]
    pub run_id: Option<u64>,
    /// A workflow run's event (`push`, `schedule`, `pull_request`, …).
    #[serde(default)]
    pub event: Option<String>,
    /// A workflow run's head repository, `owner/name`.
    #[serde(default)]
    pub head_repository: Option<String>,
    /// Who posted it: a check run's app slug, a status's creator login.
    #[serde(default)]
    pub reporter: Option<String>,
    /// Whether its commit contains the postmortem's merge; `None` until
    /// the shell has asked.
    #[serde(default)]
    pub contains_landing: Option<bool>,
    /// For a workflow bound to one job: that job in this run, once read
    /// (`Some(None)`: the run has no such job).
    #[serde(default)]
    pub job: Option<Option<JobResult>>,
}

/// A job of a workflow run, as the shell read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    /// `success` counts.
    pub conclusion: Option<String>,
    /// When it completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Its web page.
    pub html_url: String,
}

/// How the postmortem reached the checked branch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "landing", rename_all = "kebab-case")]
pub enum Landing {
    /// Its pull request was merged: a result counts when its commit
    /// contains this merge.
    Merged {
        /// The merge commit on the base branch.
        sha: String,
        /// The pull request.
        pull_request: u64,
        /// When it was merged.
        merged_at: DateTime<Utc>,
    },
    /// The document is on the checked branch, but no merged pull request
    /// of its branch: a result counts when it is later than the fix issue.
    OnBranch,
    /// The postmortem is not on the checked branch yet: nothing counts.
    NotYet,
    /// Not read (a snapshot from a file): a result counts when it is later
    /// than the fix issue.
    #[default]
    Unknown,
}

/// The result that proves a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// When it passed.
    pub completed_at: DateTime<Utc>,
    /// Its web page.
    pub html_url: String,
}

/// A fact the shell must read before [`select`] can decide on result
/// `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Whether its commit contains the landing's merge
    /// (`GET /compare/{merge}...{head_sha}`: `ahead` or `identical`).
    ContainsLanding {
        /// Which result.
        index: usize,
    },
    /// Its jobs (`GET /actions/runs/{id}/jobs`), for the bound job.
    Job {
        /// Which result.
        index: usize,
    },
}

/// The facts a decision on results rests on, besides the results.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The binding.
    pub binding: &'a TestBinding,
    /// How the postmortem landed.
    pub landing: &'a Landing,
    /// When the fix issue was opened.
    pub opened_at: DateTime<Utc>,
    /// This repository, `owner/name`.
    pub repository: &'a str,
}

fn same(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.eq_ignore_ascii_case(b))
}

/// Whether a result may count, judged on what needs no lookup.
fn candidate(cx: &Context<'_>, r: &CiResult) -> bool {
    let on_branch = r.branch.as_deref() == Some(cx.binding.branch());
    let passed = r.conclusion.as_deref() == Some("success");
    let Some(done) = r.completed_at else {
        return false;
    };
    let after_landing = match cx.landing {
        // A run that ended before the merge ran on a commit made before it.
        Landing::Merged { merged_at, .. } => done >= *merged_at,
        Landing::OnBranch | Landing::Unknown => done >= cx.opened_at,
        Landing::NotYet => false,
    };
    let from_here = match cx.binding {
        TestBinding::Workflow { job, .. } => {
            // A run bound to one job may fail elsewhere and still prove it.
            let finished = if job.is_some() {
                r.conclusion.is_some()
            } else {
                passed
            };
            finished
                && r.head_repository
                    .as_deref()
                    .is_none_or(|h| h.eq_ignore_ascii_case(cx.repository))
                && !r
                    .event
                    .as_deref()
                    .is_some_and(|e| e.starts_with("pull_request"))
        }
        TestBinding::CheckRun { app, .. } => passed && same(r.reporter.as_deref(), app),
        TestBinding::Status { creator, .. } => passed && same(r.reporter.as_deref(), creator),
    };
    on_branch && after_landing && from_here
}

/// Whether a candidate proves the fix; `Err(lookup)` when a fact is
/// missing.
fn proves(cx: &Context<'_>, index: usize, r: &CiResult) -> Result<Option<Evidence>, Lookup> {
    if matches!(cx.landing, Landing::Merged { .. }) {
        match r.contains_landing {
            None => return Err(Lookup::ContainsLanding { index }),
            Some(false) => return Ok(None),
            Some(true) => {}
        }
    }
    let (completed_at, html_url) = match cx.binding {
        TestBinding::Workflow { job: Some(_), .. } => match &r.job {
            None => return Err(Lookup::Job { index }),
            Some(Some(j)) if j.conclusion.as_deref() == Some("success") => match j.completed_at {
                Some(t) => (t, j.html_url.clone()),
                None => return Ok(None),
            },
            Some(_) => return Ok(None),
        },
        _ => match r.completed_at {
            Some(t) => (t, r.html_url.clone()),
            None => return Ok(None),
        },
    };
    Ok(Some(Evidence {
        completed_at,
        html_url,
    }))
}

/// Candidates, earliest first.
fn in_order<'a>(cx: &Context<'_>, results: &'a [CiResult]) -> Vec<(usize, &'a CiResult)> {
    let mut c: Vec<(usize, &CiResult)> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| candidate(cx, r))
        .collect();
    c.sort_by_key(|(i, r)| (r.completed_at, *i));
    c
}

/// The earliest result that proves the fix, as far as the facts read so
/// far tell. The earliest, so a fix that passed on time stays on time
/// however many passes follow.
pub fn select(cx: &Context<'_>, results: &[CiResult]) -> Option<Evidence> {
    in_order(cx, results)
        .into_iter()
        .find_map(|(i, r)| proves(cx, i, r).ok().flatten())
}

/// The next fact to read, or `None` when [`select`] has its answer (or
/// nothing could change it).
pub fn next_lookup(cx: &Context<'_>, results: &[CiResult]) -> Option<Lookup> {
    for (i, r) in in_order(cx, results) {
        match proves(cx, i, r) {
            Ok(Some(_)) => return None,
            Ok(None) => {}
            Err(lookup) => return Some(lookup),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn run(when: &str) -> CiResult {
        CiResult {
            conclusion: Some("success".into()),
            branch: Some("main".into()),
            completed_at: Some(at(when)),
            html_url: format!("https://github.com/acme/app/actions/runs/{when}"),
            head_sha: Some(format!("sha-{when}")),
            event: Some("push".into()),
            head_repository: Some("acme/app".into()),
            ..CiResult::default()
        }
    }

    fn merged() -> Landing {
        Landing::Merged {
            sha: "merge".into(),
            pull_request: 41,
            merged_at: at("2026-05-22T10:00:00Z"),
        }
    }

    fn cx<'a>(binding: &'a TestBinding, landing: &'a Landing) -> Context<'a> {
        Context {
            binding,
            landing,
            opened_at: at("2026-05-21T10:00:00Z"),
            repository: "acme/app",
        }
    }

    /// Answers every lookup as `contains` and `job` say, and returns the
    /// evidence and the lookups made.
    fn resolve(
        cx: &Context<'_>,
        mut results: Vec<CiResult>,
        contains: impl Fn(&CiResult) -> bool,
        job: impl Fn(&CiResult) -> Option<JobResult>,
    ) -> (Option<Evidence>, Vec<Lookup>) {
        let mut made = Vec::new();
        while let Some(l) = next_lookup(cx, &results) {
            made.push(l);
            match l {
                Lookup::ContainsLanding { index } => {
                    results[index].contains_landing = Some(contains(&results[index]));
                }
                Lookup::Job { index } => results[index].job = Some(job(&results[index])),
            }
            assert!(made.len() < 50);
        }
        (select(cx, &results), made)
    }

    #[test]
    fn a_pass_before_the_merge_or_on_a_commit_without_it_proves_nothing() {
        let b = TestBinding::new("workflow", "p95.yml", "main", "").unwrap();
        let landing = merged();
        let cx = cx(&b, &landing);
        let results = vec![
            run("2026-05-21T12:00:00Z"), // before the merge: no lookup
            run("2026-05-23T08:00:00Z"), // after, but not containing it
            run("2026-05-24T08:00:00Z"), // contains it
            run("2026-05-25T08:00:00Z"),
        ];
        let (ev, made) = resolve(
            &cx,
            results,
            |r| r.completed_at.unwrap() >= at("2026-05-24T00:00:00Z"),
            |_| None,
        );
        assert_eq!(ev.unwrap().completed_at, at("2026-05-24T08:00:00Z"));
        assert_eq!(
            made,
            vec![
                Lookup::ContainsLanding { index: 1 },
                Lookup::ContainsLanding { index: 2 }
            ],
            "earliest first, stopping at the first proof"
        );
    }

    #[test]
    fn before_the_postmortem_lands_nothing_counts() {
        let b = TestBinding::new("workflow", "p95.yml", "main", "").unwrap();
        let cx = cx(&b, &Landing::NotYet);
        let (ev, made) = resolve(&cx, vec![run("2026-05-23T08:00:00Z")], |_| true, |_| None);
        assert!(ev.is_none() && made.is_empty());
        // Landed some other way: later than the fix issue counts.
        let cx = Context {
            landing: &Landing::OnBranch,
            ..cx
        };
        assert!(select(&cx, &[run("2026-05-20T08:00:00Z")]).is_none());
        assert!(select(&cx, &[run("2026-05-23T08:00:00Z")]).is_some());
    }

    #[test]
    fn runs_of_pull_requests_and_forks_do_not_count() {
        let b = TestBinding::new("workflow", "p95.yml", "main", "").unwrap();
        let cx = cx(&b, &Landing::OnBranch);
        let pr = CiResult {
            event: Some("pull_request".into()),
            ..run("2026-05-23T08:00:00Z")
        };
        let fork = CiResult {
            head_repository: Some("mallory/app".into()),
            ..run("2026-05-23T08:00:00Z")
        };
        let failed = CiResult {
            conclusion: Some("failure".into()),
            ..run("2026-05-23T08:00:00Z")
        };
        let elsewhere = CiResult {
            branch: Some("feature".into()),
            ..run("2026-05-23T08:00:00Z")
        };
        assert!(select(&cx, &[pr, fork, failed, elsewhere]).is_none());
    }

    #[test]
    fn a_bound_job_must_pass_even_when_the_run_failed_elsewhere() {
        let b = TestBinding::new("workflow", "p95.yml", "main", "p95 gate").unwrap();
        let landing = merged();
        let cx = cx(&b, &landing);
        let failed_run = CiResult {
            conclusion: Some("failure".into()),
            ..run("2026-05-23T08:00:00Z")
        };
        let job = |ok: bool| JobResult {
            conclusion: Some(if ok { "success" } else { "failure" }.into()),
            completed_at: Some(at("2026-05-23T07:59:00Z")),
            html_url: "https://github.com/acme/app/actions/runs/1/job/2".into(),
        };
        let (ev, made) = resolve(&cx, vec![failed_run.clone()], |_| true, |_| Some(job(true)));
        let ev = ev.unwrap();
        assert_eq!(
            ev.html_url,
            "https://github.com/acme/app/actions/runs/1/job/2"
        );
        assert_eq!(made.len(), 2);
        let (ev, _) = resolve(&cx, vec![failed_run], |_| true, |_| Some(job(false)));
        assert!(ev.is_none());
    }

    #[test]
    fn statuses_and_check_runs_count_only_from_who_the_binding_names() {
        for (kind, who) in [("status", "ci-bot"), ("check-run", "ci-app")] {
            let b = TestBinding::new(kind, "p95", "main", who).unwrap();
            let cx = cx(&b, &Landing::OnBranch);
            let forged = CiResult {
                reporter: Some("mallory".into()),
                ..run("2026-05-23T08:00:00Z")
            };
            assert!(select(&cx, &[forged]).is_none(), "{kind}");
            let real = CiResult {
                reporter: Some(who.to_uppercase()),
                ..run("2026-05-23T08:00:00Z")
            };
            assert!(select(&cx, &[real]).is_some(), "{kind}");
        }
    }
}
