//! The imperative shell: reads the environment and the event, reads
//! GitHub into the planners' snapshots, runs the pure planner, then prints
//! the plan (`--dry-run`) or applies it, and writes outputs, annotations
//! and the step summary.

pub mod apply;
pub mod gh;
pub mod read;

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postmortem::check::{Checked, Form, check};
use postmortem::submission::intake;
use postmortem_action::check::{self as checker, CheckInput, FixIssueSnapshot};
use postmortem_action::commands::{
    Annotation, AnnotationLevel, cap_step_summary, escape_data, output_block, without_commands,
};
use postmortem_action::config::{Config, Mode};
use postmortem_action::event::{self, Event, Trigger};
use postmortem_action::files;
use postmortem_action::fixissue;
use postmortem_action::open::{
    self, Finding, FindingSeverity, OpenInput, OpenState, Prepared, RepoContext, Source,
};
use postmortem_action::plan::{Exit, Plan, Text};
use postmortem_model::Postmortem;

use gh::{Backoff, Gh, GhError};

/// A plan and the tree of each commit it read.
type OpenPlan = (Plan, std::collections::HashMap<String, String>);

/// Plans an open run again, reading everything.
type Replan<'a> = dyn Fn() -> Result<Option<OpenPlan>, String> + 'a;

/// Above this many fix issues with comments, the check reads the
/// repository's comment list (pages) instead of each issue's.
const PER_ISSUE_COMMENT_READS: usize = 10;

/// The command line.
pub struct Args {
    /// Print the plan, write nothing.
    pub dry_run: bool,
    /// Print the plan as JSON.
    pub json: bool,
    /// `check` without GitHub: a JSON list of snapshots.
    pub state: Option<String>,
    /// The time of the run (tests).
    pub now: Option<DateTime<Utc>>,
}

/// Everything a run reads from its environment, once.
pub struct Run {
    env: BTreeMap<String, String>,
    config: Config,
    args: Args,
    now: DateTime<Utc>,
}

fn gh_err(e: GhError) -> String {
    e.message
}

impl Run {
    /// Reads the inputs.
    pub fn new(mut env: BTreeMap<String, String>, args: Args) -> Result<Run, String> {
        if args.dry_run {
            env.insert("INPUT_DRY-RUN".into(), "true".into());
        }
        // The token: the `token` input, else GITHUB_TOKEN from the
        // environment; never from the event or a file.
        let has_input = ["INPUT_TOKEN"]
            .iter()
            .any(|k| env.get(*k).is_some_and(|v| !v.trim().is_empty()));
        if !has_input {
            if let Some(t) = env.get("GITHUB_TOKEN").cloned() {
                env.insert("INPUT_TOKEN".into(), t);
            }
        }
        let config = postmortem_action::config::from_env(&env).map_err(|e| e.to_string())?;
        let now = args
            .now
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
        Ok(Run {
            env,
            config,
            args,
            now,
        })
    }

    /// Whether this is a re-run of a workflow run (its event is stale).
    fn rerun(&self) -> bool {
        self.var("GITHUB_RUN_ATTEMPT")
            .and_then(|a| a.parse::<u32>().ok())
            .is_some_and(|a| a > 1)
    }

    /// The intake issue's comment count as the event gives it.
    fn event_issue_comments(&self) -> Option<u64> {
        let path = self.var("GITHUB_EVENT_PATH")?;
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        v["issue"]["comments"].as_u64()
    }

    fn var(&self, k: &str) -> Option<&str> {
        self.env
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn client(&self) -> Result<Option<Gh>, String> {
        let (Some(token), Some(repo)) = (self.var("INPUT_TOKEN"), self.var("GITHUB_REPOSITORY"))
        else {
            return Ok(None);
        };
        let api = self
            .var("GITHUB_API_URL")
            .unwrap_or("https://api.github.com");
        let ms = |k: &str, d: u64| self.var(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(d);
        let backoff = Backoff {
            base: Duration::from_millis(ms("POSTMORTEM_ACTION_BACKOFF_MS", 1000)),
            max_wait: Duration::from_secs(ms("POSTMORTEM_ACTION_MAX_WAIT_SECS", 900)),
            attempts: 6,
        };
        Gh::new(api, token, repo, backoff).map(Some)
    }

    /// Runs the mode; returns the exit code.
    pub fn run(&self) -> Result<u8, String> {
        let event = match (self.var("GITHUB_EVENT_NAME"), self.var("GITHUB_EVENT_PATH")) {
            (Some(name), Some(path)) => {
                let json = std::fs::read_to_string(path)
                    .map_err(|e| format!("reading the event at {path}: {e}"))?;
                Some(event::parse(name, &json, &self.config.label).map_err(|e| e.to_string())?)
            }
            _ => None,
        };
        if let Some(Event {
            trigger: Trigger::Ignored { reason },
            ..
        }) = &event
        {
            println!("Nothing to do: {}", escape_data(reason));
            return Ok(0);
        }
        let gh = self.client()?;
        if gh.is_none() && !(self.config.dry_run && self.config.mode == Mode::Check) {
            return Err(
                "GITHUB_REPOSITORY and a token (the `token` input or GITHUB_TOKEN) are needed to read GitHub"
                    .into(),
            );
        }
        let (plan, trees) = match self.config.mode {
            Mode::Check => (
                self.plan_check(gh.as_ref(), event.as_ref())?,
                Default::default(),
            ),
            Mode::Open => {
                let gh = gh.as_ref().ok_or("no client")?;
                let Some((plan, trees, assumed)) = self.plan_open(gh, event.as_ref(), true)? else {
                    return Ok(0);
                };
                // Planned on the assumption that the postmortem branch does
                // not exist: if creating it finds it, read and plan again.
                let replan = || -> Result<Option<OpenPlan>, String> {
                    Ok(self
                        .plan_open(gh, event.as_ref(), false)?
                        .map(|(p, t, _)| (p, t)))
                };
                let replan: Option<&Replan<'_>> = if assumed { Some(&replan) } else { None };
                return self.finish(Some(gh), plan, trees, replan);
            }
            Mode::Lint => {
                return self.lint(gh.as_ref().ok_or("no client")?, event.as_ref());
            }
        };
        self.finish(gh.as_ref(), plan, trees, None)
    }

    fn within_budget(&self, plan: &Plan) -> Result<(), String> {
        if plan.operations.len() > self.config.operations_budget {
            return Err(format!(
                "the plan has {} operations, more than the operations budget of {}; nothing was written",
                plan.operations.len(),
                self.config.operations_budget
            ));
        }
        Ok(())
    }

    fn finish(
        &self,
        gh: Option<&Gh>,
        plan: Plan,
        trees: std::collections::HashMap<String, String>,
        replan: Option<&Replan<'_>>,
    ) -> Result<u8, String> {
        let mut plan = plan;
        self.within_budget(&plan)?;
        let token = random_token();
        if self.config.dry_run {
            let text = if self.args.json {
                plan.to_json()
            } else {
                plan.render_text()
            };
            print!(
                "{}",
                without_commands(&token, &text).map_err(|e| e.to_string())?
            );
        }
        let mut applier = None;
        if !self.config.dry_run {
            if let Some(gh) = gh {
                let mut a = apply::Applier::new(gh, trees, &self.config.bot_login);
                let mut res = a.apply(&plan);
                if let (Err(e), true, Some(replan)) = (&res, a.branch_existed, replan) {
                    // Nothing was written but unreferenced git objects.
                    eprintln!("{}; reading it and planning again", escape_data(&e.message));
                    match replan()? {
                        Some((p, t)) => {
                            self.within_budget(&p)?;
                            plan = p;
                            a = apply::Applier::new(gh, t, &self.config.bot_login);
                            res = a.apply(&plan);
                        }
                        None => return Ok(0),
                    }
                }
                eprintln!(
                    "{} GitHub request(s), {} write(s)",
                    gh.requests(),
                    gh.writes()
                );
                res.map_err(gh_err)?;
                applier = Some(a);
            }
        }
        for a in &plan.annotations {
            println!("{}", a.to_command());
        }
        let resolve = |t: &Text| -> String {
            match &applier {
                Some(a) => a.text(t).unwrap_or_default(),
                // A dry run creates nothing: only literal values are known.
                None => t.as_literal().unwrap_or_default(),
            }
        };
        if let Some(path) = self.var("GITHUB_OUTPUT") {
            let mut out = String::new();
            for (k, v) in &plan.outputs {
                out.push_str(&output_block(k, &resolve(v), &token).map_err(|e| e.to_string())?);
            }
            append(path, &out)?;
        }
        if let Some(path) = self.var("GITHUB_STEP_SUMMARY") {
            let mut md = plan.summary.join("\n");
            md.push('\n');
            append(path, &cap_step_summary(&md))?;
        }
        Ok(match plan.exit {
            Exit::Success => 0,
            Exit::Failure { reason } => {
                println!("::error title=postmortem-action::{}", escape_data(&reason));
                1
            }
        })
    }

    fn default_branch(&self, gh: Option<&Gh>, event: Option<&Event>) -> Result<String, String> {
        if let Some(b) = event
            .and_then(|e| e.repository.as_ref())
            .and_then(|r| r.default_branch.clone())
        {
            return Ok(b);
        }
        match gh {
            Some(gh) => read::default_branch(gh).map_err(gh_err),
            None => Ok("main".into()),
        }
    }

    fn plan_check(&self, gh: Option<&Gh>, event: Option<&Event>) -> Result<Plan, String> {
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
        let (plan, _) = checker::plan(&CheckInput {
            config: &self.config,
            check_branch: &branch,
            now: self.now,
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
        let mut cache: BTreeMap<String, Vec<postmortem_action::check::CiResult>> = BTreeMap::new();
        let mut out = Vec::with_capacity(issues.len());
        for i in issues {
            let body = i.body_text();
            let labels = i.label_names();
            let bot_comments = match (&mut by_issue, i.comments > 0) {
                (_, false) => Vec::new(),
                (Some(map), true) => map.remove(&i.number).unwrap_or_default(),
                (None, true) => read::bot_comments(gh, i.number, &self.config.bot_login)?,
            };
            let results = match checker::binding_to_look_up(&body, &labels, branch) {
                Some(b) => {
                    let key = format!(
                        "{}:{}:{}:{}",
                        b.kind(),
                        b.target(),
                        b.branch(),
                        i.created_at.date_naive()
                    );
                    match cache.get(&key) {
                        Some(r) => r.clone(),
                        None => {
                            let r = read::ci_results(gh, &b, i.created_at)?;
                            cache.insert(key, r.clone());
                            r
                        }
                    }
                }
                None => Vec::new(),
            };
            out.push(FixIssueSnapshot {
                number: i.number,
                html_url: i.html_url.clone(),
                open: i.state == "open",
                created_at: i.created_at,
                labels,
                body,
                bot_comments,
                results,
                document_fix: None,
            });
        }
        Ok(out)
    }

    /// Plans an open run; `None` when there is nothing to do. With
    /// `may_assume`, a first run on an intake issue does not look for the
    /// postmortem branch ([`open::may_assume_no_branch`]); the third value
    /// says whether it did so.
    #[allow(clippy::type_complexity)]
    fn plan_open(
        &self,
        gh: &Gh,
        event: Option<&Event>,
        may_assume: bool,
    ) -> Result<Option<(Plan, std::collections::HashMap<String, String>, bool)>, String> {
        let event =
            event.ok_or("open mode needs the event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH)")?;
        // The document and where it came from.
        let (text, source) = match &event.trigger {
            Trigger::IntakeIssue(i) if self.rerun() => {
                // A re-run replays the first run's payload: read the issue
                // as it is now.
                let issue = read::issue(gh, i.number)
                    .map_err(gh_err)?
                    .ok_or_else(|| format!("issue #{} does not exist", i.number))?;
                let labels = issue.label_names();
                self.intake(
                    gh,
                    i.number,
                    &issue.body_text(),
                    issue.state == "open",
                    &labels,
                    true,
                )?
            }
            Trigger::IntakeIssue(i) => {
                let has_comments = self.event_issue_comments().is_none_or(|n| n > 0);
                self.intake(gh, i.number, &i.body, i.open, &i.labels, has_comments)?
            }
            Trigger::ManualIssue { number } => {
                let issue = read::issue(gh, *number)
                    .map_err(gh_err)?
                    .ok_or_else(|| format!("issue #{number} does not exist"))?;
                let labels = issue.label_names();
                if !labels
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(&self.config.label))
                {
                    println!(
                        "Nothing to do: issue #{number} does not carry the {:?} label",
                        self.config.label
                    );
                    return Ok(None);
                }
                self.intake(
                    gh,
                    *number,
                    &issue.body_text(),
                    issue.state == "open",
                    &labels,
                    issue.comments > 0,
                )?
            }
            Trigger::FormDispatch { document, .. } => (document.clone(), Source::FormDispatch),
            other => {
                println!("Nothing to do: open mode does not act on {other:?}");
                return Ok(None);
            }
        };

        let repo_full = self.var("GITHUB_REPOSITORY").unwrap_or_default().to_owned();
        let default_branch = self.default_branch(Some(gh), Some(event))?;
        let server_url = self
            .var("GITHUB_SERVER_URL")
            .unwrap_or("https://github.com")
            .to_owned();
        let today = self.config.timezone.date_of(self.now);

        let intake_comments = match &event.trigger {
            Trigger::IntakeIssue(_) => self.event_issue_comments(),
            _ => None,
        };
        let assumed = may_assume
            && open::may_assume_no_branch(
                &source,
                intake_comments,
                self.rerun(),
                self.config.dry_run,
            );
        let (pm, findings) = judge(&text);
        let errors = findings
            .iter()
            .any(|f| f.severity == FindingSeverity::Error);
        let pm = pm.unwrap_or_default();
        let slug = postmortem::document::slug(&pm.incident.title);
        let mut prepared = Prepared {
            document: postmortem::document::render(&pm),
            postmortem: pm,
            findings,
            slug,
            index_files: Vec::new(),
        };
        let (base_sha, state, trees) = if errors {
            (String::new(), OpenState::default(), Default::default())
        } else {
            let pm = &prepared.postmortem;
            let doc = open::document_path_for(&self.config, pm, &prepared.slug, today).ok();
            match (&pm.incident.id, &doc) {
                (Some(id), Some(doc)) => {
                    // Not index.md: it is derived from index.json whole.
                    let (ij, _) = files::index_paths(doc);
                    let mut paths = vec![doc.to_string(), ij];
                    if let Some(rb) = &pm.runbook.path {
                        paths.push(rb.to_string());
                    }
                    for a in &pm.adrs {
                        if let Some(p) = &a.path {
                            paths.push(p.to_string());
                        }
                    }
                    let r = read::open_state(
                        gh,
                        id,
                        &default_branch,
                        &paths,
                        &self.config.bot_login,
                        !assumed,
                        open::base_from_runner(
                            assumed,
                            self.var("GITHUB_REF"),
                            self.var("GITHUB_SHA"),
                            &default_branch,
                        ),
                    )
                    .map_err(gh_err)?;
                    (r.base_sha, r.state, r.trees)
                }
                _ => (String::new(), OpenState::default(), Default::default()),
            }
        };
        if let Ok(doc) =
            open::document_path_for(&self.config, &prepared.postmortem, &prepared.slug, today)
        {
            let (ij, _) = files::index_paths(&doc);
            let existing = state.files.get(&ij).cloned().flatten();
            prepared.index_files =
                files::index_update(existing.as_deref(), &doc, &prepared.postmortem);
        }
        let repo = RepoContext {
            full_name: repo_full,
            server_url,
            default_branch,
            base_sha,
        };
        let plan = open::plan(&OpenInput {
            config: &self.config,
            repo: &repo,
            source: &source,
            prepared: &prepared,
            state: &state,
            today,
        });
        Ok(Some((plan, trees, assumed)))
    }

    fn intake(
        &self,
        gh: &Gh,
        number: u64,
        body: &str,
        open_now: bool,
        labels: &[String],
        has_comments: bool,
    ) -> Result<(String, Source), String> {
        let (text, first_line) = match intake::extract(body) {
            Ok(x) => (x.document, x.first_line),
            // An empty or broken body is judged like any unreadable
            // document: the findings comment says what to change.
            Err(_) => (body.to_owned(), 1),
        };
        let bot_comments = if has_comments {
            read::bot_comments(gh, number, &self.config.bot_login).map_err(gh_err)?
        } else {
            Vec::new()
        };
        Ok((
            text,
            Source::IntakeIssue {
                number,
                open: open_now,
                labels: labels.to_vec(),
                bot_comments,
                first_line,
            },
        ))
    }

    /// Lint mode: the postmortem documents a pull request touches,
    /// findings as annotations on their lines; fails on errors.
    fn lint(&self, gh: &Gh, event: Option<&Event>) -> Result<u8, String> {
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

/// Reads and lints a document: the postmortem when readable, and its
/// findings (an unreadable document is one error finding at its line).
pub fn judge(text: &str) -> (Option<Postmortem>, Vec<Finding>) {
    let map = |f: &postmortem::lint::Finding| Finding {
        code: f.code.to_owned(),
        rule: f.rule.to_owned(),
        severity: match f.severity {
            postmortem::lint::Severity::Error => FindingSeverity::Error,
            postmortem::lint::Severity::Warning => FindingSeverity::Warning,
        },
        message: f.message.clone(),
        field: Some(f.field.to_string()).filter(|s| !s.is_empty()),
        line: f.line,
    };
    match check(Form::Document, text) {
        Ok(Checked::Postmortem { read, findings }) => {
            (Some(read.postmortem), findings.iter().map(map).collect())
        }
        Ok(Checked::SeveralFixes(f)) => (None, vec![map(&f)]),
        Err(u) => (
            None,
            vec![Finding {
                code: "PM000".into(),
                rule: "readable".into(),
                severity: FindingSeverity::Error,
                message: u.message,
                field: None,
                line: u.line,
            }],
        ),
    }
}

fn append(path: &str, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("writing {path}: {e}"))
}

/// 32 hex digits from the OS's randomness (std's hasher keys are drawn
/// from it per process).
pub fn random_token() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u8 {
        let mut h = RandomState::new().build_hasher();
        h.write_u8(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    format!("ghadelim_{out}")
}
