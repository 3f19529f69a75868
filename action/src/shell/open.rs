//! Open mode's reading: the postmortem and where it came from, what exists
//! for its incident, and what GitHub would refuse; and, on a push to the
//! default branch, the merged documents and their fix issues.

use postmortem::submission::intake;
use postmortem_action::event::{Event, Trigger};
use postmortem_action::open::{
    self, Access, AccessQuestions, FiledIntake, FindingSeverity, OpenInput, OpenState, Prepared,
    RepoContext, Source,
};
use postmortem_action::plan::Plan;
use postmortem_action::{files, fixissue, sync};
use postmortem_model::{IncidentId, Reader, RepoPath};

use super::gh::Gh;
use super::{Run, gh_err, judge, read};

impl Run {
    /// Plans an open run; `None` when there is nothing to do. With
    /// `may_assume`, a first run on an intake issue does not look for the
    /// postmortem branch ([`open::may_assume_no_branch`]); the third value
    /// says whether it did so.
    #[allow(clippy::type_complexity)]
    pub(super) fn plan_open(
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
                    && !intake::is_intake(&issue.body_text())
                {
                    println!(
                        "Nothing to do: issue #{number} carries neither the {:?} label nor the form's intake marker",
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
            Trigger::FormDispatch { document, sender } => (
                document.clone(),
                Source::FormDispatch {
                    sender: sender.as_deref().and_then(|s| s.parse().ok()),
                    intake: None,
                },
            ),
            Trigger::Push { before, after } => {
                let plan = self.plan_sync(gh, event, before, after)?;
                return Ok(Some((plan, Default::default(), false)));
            }
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
        let mut source = source;
        if let (Source::FormDispatch { intake, .. }, Some(id)) =
            (&mut source, open::incident_of(&text))
        {
            *intake = self.filed_intake(gh, &id)?;
        }
        let slug = postmortem::document::slug(&pm.incident.title);
        let mut prepared = Prepared {
            text,
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
        // What GitHub would refuse, asked before anything is written; not
        // for a document the Action will not open.
        let access = if errors {
            Access::default()
        } else {
            self.access(
                gh,
                &open::access_questions(&prepared.postmortem, &state, gh.owner()),
            )?
        };
        let plan = open::plan(&OpenInput {
            config: &self.config,
            repo: &repo,
            source: &source,
            prepared: &prepared,
            state: &state,
            access: &access,
            today,
        });
        Ok(Some((plan, trees, assumed)))
    }

    /// What GitHub would refuse: whether the owner can be assigned, which
    /// user readers have access, and, when the token may list them, which
    /// teams do.
    fn access(&self, gh: &Gh, q: &AccessQuestions) -> Result<Access, String> {
        let mut access = Access::default();
        if let Some(owner) = &q.owner {
            access.owner_assignable = Some(read::assignable(gh, owner.as_str()).map_err(gh_err)?);
        }
        for user in &q.users {
            if !read::collaborator(gh, user.as_str()).map_err(gh_err)? {
                access.without_access.push(Reader::User(user.clone()));
            }
        }
        if !q.teams.is_empty() {
            let known = read::teams_with_access(gh).map_err(gh_err)?;
            for team in &q.teams {
                let Ok(reader) = format!("{}/{team}", gh.owner()).parse::<Reader>() else {
                    continue;
                };
                match &known {
                    None => access.unknown.push(reader),
                    Some(list) if !list.iter().any(|t| t.eq_ignore_ascii_case(team)) => {
                        access.without_access.push(reader);
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(access)
    }

    /// The open intake issue the Action filed for an earlier dispatch of
    /// `incident` that needed work, if any.
    fn filed_intake(&self, gh: &Gh, incident: &IncidentId) -> Result<Option<FiledIntake>, String> {
        let bot = &self.config.bot_login;
        let candidates = read::issues_by(gh, open::NEEDS_WORK_LABEL, bot).map_err(gh_err)?;
        let pairs: Vec<(u64, String)> = candidates
            .iter()
            .map(|i| (i.number, i.body_text()))
            .collect();
        let Some(n) = open::filed_intake_for(incident, &pairs) else {
            return Ok(None);
        };
        let Some(i) = candidates.iter().find(|i| i.number == n) else {
            return Ok(None);
        };
        let bot_comments = if i.comments > 0 {
            read::bot_comments(gh, n, bot).map_err(gh_err)?
        } else {
            Vec::new()
        };
        Ok(Some(FiledIntake {
            number: n,
            body: i.body_text(),
            labels: i.label_names(),
            bot_comments,
        }))
    }

    /// A push to the default branch: its merged postmortem documents and
    /// their fix issues, planned by [`sync::plan`].
    fn plan_sync(&self, gh: &Gh, event: &Event, before: &str, after: &str) -> Result<Plan, String> {
        let bot = &self.config.bot_login;
        let changed = read::changed_files(gh, before, after).map_err(gh_err)?;
        let paths: Vec<RepoPath> = changed
            .iter()
            .filter(|p| files::matches_document_pattern(&self.config.document_path, p))
            .filter_map(|p| p.parse().ok())
            .collect();
        let mut documents = Vec::new();
        let mut fix_issues = None;
        for path in paths {
            let Some(text) = read::file(gh, path.as_str(), after).map_err(gh_err)? else {
                continue;
            };
            let (pm, findings) = judge(&text);
            let errors = findings
                .iter()
                .filter(|f| f.severity == FindingSeverity::Error)
                .count();
            let (mut fix_issue, mut bot_comments, mut owner_assignable) = (None, Vec::new(), None);
            if let Some(id) = pm.as_ref().and_then(|p| p.incident.id.clone()) {
                let list = match &fix_issues {
                    Some(l) => l,
                    None => fix_issues.insert(
                        read::issues_labelled(gh, fixissue::FIX_LABEL, "all", None)
                            .map_err(gh_err)?,
                    ),
                };
                let pairs: Vec<(u64, String)> =
                    list.iter().map(|i| (i.number, i.body_text())).collect();
                if let Some((n, _)) = open::find_fix_issue(&id, &pairs) {
                    if let Some(i) = list.iter().find(|i| i.number == *n) {
                        if i.comments > 0 {
                            bot_comments = read::bot_comments(gh, i.number, bot).map_err(gh_err)?;
                        }
                        fix_issue = Some(read::fix_issue_state(i));
                    }
                }
            }
            if let Some(owner) = pm
                .as_ref()
                .and_then(|p| sync::owner_question(p, fix_issue.as_ref()))
            {
                owner_assignable = Some(read::assignable(gh, owner.as_str()).map_err(gh_err)?);
            }
            documents.push(sync::MergedDocument {
                path,
                postmortem: pm,
                errors,
                fix_issue,
                bot_comments,
                owner_assignable,
            });
        }
        let repo = RepoContext {
            full_name: self.var("GITHUB_REPOSITORY").unwrap_or_default().to_owned(),
            server_url: self
                .var("GITHUB_SERVER_URL")
                .unwrap_or("https://github.com")
                .to_owned(),
            default_branch: self.default_branch(Some(gh), Some(event))?,
            base_sha: after.to_owned(),
        };
        Ok(sync::plan(&sync::SyncInput {
            config: &self.config,
            repo: &repo,
            commit: after,
            documents: &documents,
        }))
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
}
