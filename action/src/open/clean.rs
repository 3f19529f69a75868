//! A clean postmortem: the repository's preconditions, then the writes, in
//! an order where no refusal leaves anything half made. The commit and the
//! pull request come first (the postmortem is the artefact), then the fix
//! issue (assigned only when GitHub allows it), the pull request's link to
//! it, the review requests (which GitHub may refuse), and the intake
//! issue's answer last, so a run that dies anywhere is completed by the
//! next one.

use postmortem_model::RepoPath;

use super::bodies::{pr_body, pr_labels, pr_title};
use super::{
    COMMIT_TRAILER, Finding, FindingSeverity, FixIssueState, M_FINDINGS, M_HUMAN_COMMITS, M_OPENED,
    NEEDS_WORK_LABEL, OpenInput, branch_for, document_path_for, operation_output, readers,
};
use crate::commands::{Annotation, AnnotationLevel};
use crate::files;
use crate::fixissue::{self, BlockState, FixBlock, FixIssueContent};
use crate::plan::{CloseReason, FileWrite, Operation, Piece, Plan, Planned, Target, Text};
use crate::text::{has_marker, marker};

/// What a clean postmortem resolves to before planning writes.
pub(super) struct Ready {
    pub(super) id: postmortem_model::IncidentId,
    pub(super) block: FixBlock,
    pub(super) document_path: RepoPath,
    pub(super) files: Vec<FileWrite>,
    /// The fix issue that exists with another fix than this document's:
    /// it keeps its own until a change to the document is merged.
    pub(super) kept_fix: Option<KeptFix>,
}

/// An existing fix issue's number and sealed fix.
pub(super) struct KeptFix {
    pub(super) number: u64,
    pub(super) block: FixBlock,
}

/// Checks what the document crate cannot know: the files it points at
/// exist, the path is confined, the fix is complete. Each gap becomes a
/// problem listed like a lint error.
pub(super) fn preconditions(input: &OpenInput<'_>, problems: &mut Vec<Finding>) -> Option<Ready> {
    let pm = &input.prepared.postmortem;
    let problem = |rule: &str, field: &str, message: String| Finding {
        code: "ACTION".into(),
        rule: rule.into(),
        severity: FindingSeverity::Error,
        message,
        field: Some(field.into()),
        line: None,
    };
    let before = problems.len();
    if pm.incident.id.is_none() {
        problems.push(problem(
            "incident-id",
            "incident.id",
            "the postmortem names no incident id; the branch and the fix issue are named after it"
                .into(),
        ));
    }
    if pm.fix.level.is_none() || pm.fix.owner.is_none() || pm.fix.due.is_none() {
        problems.push(problem(
            "fix-complete",
            "fix",
            "the chain-level fix needs a level, an owner and a due date before its issue is opened"
                .into(),
        ));
    }
    let document_path = match document_path_for(input.config, pm, &input.prepared.slug, input.today)
    {
        Ok(p) => Some(p),
        Err(e) => {
            problems.push(problem("document-path", "incident", e));
            None
        }
    };
    let current = |p: &RepoPath| input.state.files.get(p.as_str()).cloned().flatten();
    if let Some(rb) = &pm.runbook.path {
        if current(rb).is_none() {
            problems.push(problem(
                "runbook-exists",
                "runbook.path",
                format!("the runbook {rb} does not exist in the repository; name the runbook the on-call used"),
            ));
        }
    }
    for (i, adr) in pm.adrs.iter().enumerate() {
        if let Some(p) = &adr.path {
            if current(p).is_none() {
                problems.push(problem(
                    "adr-exists",
                    &format!("adrs[{i}].path"),
                    format!("the ADR {p} does not exist in the repository"),
                ));
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let document_path = document_path?;
    let block = fixissue::block_for(pm, &document_path)?;
    let id = block.incident.clone();

    // The files the commit should hold, kept only where they differ.
    let mut desired: Vec<(RepoPath, String)> =
        vec![(document_path.clone(), input.prepared.document.clone())];
    if let Some(rb) = &pm.runbook.path {
        let heading_date = pm
            .held_at
            .map(|t| t.date_naive())
            .or_else(|| pm.date())
            .unwrap_or(input.today);
        let updated = files::append_runbook_update(
            &current(rb).unwrap_or_default(),
            &id,
            heading_date,
            &pm.runbook,
            &files::relative_link(rb, &document_path),
        );
        desired.push((rb.clone(), updated));
    }
    for adr in &pm.adrs {
        if let Some(p) = &adr.path {
            let label = format!("Postmortem {id}: {}", pm.incident.title);
            let updated = files::add_adr_back_reference(
                &current(p).unwrap_or_default(),
                p,
                &document_path,
                &label,
            );
            desired.push((p.clone(), updated));
        }
    }
    desired.extend(input.prepared.index_files.iter().cloned());
    // `index.md` is derived from `index.json` whole: it is written with
    // every change of the JSON and never read (one request less).
    let (index_json, index_md) = files::index_paths(&document_path);
    let json_changes = desired.iter().any(|(p, content)| {
        p.as_str() == index_json && current(p).as_deref() != Some(content.as_str())
    });
    let mut seen = std::collections::BTreeSet::new();
    let files = desired
        .into_iter()
        .filter(|(p, _)| seen.insert(p.clone()))
        .filter(|(p, content)| {
            if p.as_str() == index_md {
                json_changes
            } else {
                current(p).as_deref() != Some(content.as_str())
            }
        })
        .map(|(p, content)| FileWrite {
            path: p.to_string(),
            content,
        })
        .collect();
    let kept_fix =
        input
            .state
            .fix_issue
            .as_ref()
            .and_then(|f| match fixissue::parse_block(&f.body) {
                BlockState::Sealed { block: kept } if kept != block => Some(KeptFix {
                    number: f.number,
                    block: kept,
                }),
                _ => None,
            });
    Some(Ready {
        id,
        block,
        document_path,
        files,
        kept_fix,
    })
}

/// Plans the writes for a clean postmortem.
pub(super) fn clean(input: &OpenInput<'_>, ready: &Ready, plan: &mut Plan) {
    let pm = &input.prepared.postmortem;
    let repo = input.repo;
    let state = input.state;
    let branch = branch_for(&ready.id);

    // 1. Never overwrite a person's commits on the postmortem branch.
    if let Some(b) = &state.branch {
        if !b.only_action_commits {
            let text = format!(
                "The branch `{branch}` has commits not made by the Action, so the Action did not update it (it never force-pushes). Bring the document on the branch up to date by hand, or delete the branch to let the Action write it again."
            );
            if let Some(pr) = &state.pull_request {
                let kind = format!("{M_HUMAN_COMMITS}:{}", b.head_sha);
                if !pr.bot_comments.iter().any(|c| has_marker(&c.body, &kind)) {
                    plan.operations.push(Operation::Comment {
                        target: Target::Number(pr.number),
                        body: Text::lit(format!("{}\n{text}", marker(&kind))),
                    });
                }
            }
            plan.annotations.push(Annotation::new(
                AnnotationLevel::Warning,
                "Postmortem branch has human commits",
                text.clone(),
            ));
            plan.summary.push(text);
            plan.outputs
                .push(("operation".into(), Text::lit(operation_output(plan, false))));
            return;
        }
    }

    // 2. One commit with every file that differs.
    let branch_exists = state.branch.is_some();
    if !ready.files.is_empty() {
        plan.operations.push(Operation::Commit {
            branch: branch.clone(),
            parent: state.branch.as_ref().map(|b| b.head_sha.clone()),
            base: repo.default_branch.clone(),
            base_sha: (!branch_exists).then(|| repo.base_sha.clone()),
            message: format!(
                "Postmortem {}: {}\n\nChain-level fix at {}, due {}.\n\n{COMMIT_TRAILER}",
                ready.id,
                postmortem_model::normalize_line(&pm.incident.title),
                ready.block.level.label(),
                ready.block.due
            ),
            files: ready.files.clone(),
        });
    }
    let branch_will_exist = branch_exists || !ready.files.is_empty();

    // 3. The pull request.
    let fix_exists = state.fix_issue.as_ref();
    let fix_ref = fix_exists.map_or(Piece::Ref(Planned::FixIssue), |f| {
        Piece::Lit(format!("#{}", f.number))
    });
    let title = pr_title(&ready.id, &pm.incident.title);
    let mut created = false;
    let pr_target: Option<Target> = match &state.pull_request {
        Some(pr) => {
            let body = pr_body(input, ready, Some(fix_ref.clone()));
            // When the fix issue does not exist yet its number is known
            // only after step 4; the update then happens there.
            if fix_exists.is_some()
                && (pr.title != title || Some(pr.body.clone()) != body.as_literal())
            {
                plan.operations.push(Operation::UpdatePullRequest {
                    target: Target::Number(pr.number),
                    title: title.clone(),
                    body,
                    labels: Vec::new(),
                });
            }
            Some(Target::Number(pr.number))
        }
        None if branch_will_exist => {
            created = true;
            let fix_known = fix_exists.map(|f| Piece::Lit(format!("#{}", f.number)));
            plan.operations.push(Operation::CreatePullRequest {
                head: branch.clone(),
                base: repo.default_branch.clone(),
                title: title.clone(),
                body: pr_body(input, ready, fix_known),
            });
            Some(Target::Planned(Planned::PullRequest))
        }
        None => None,
    };
    // A pull request this plan creates gets its labels in the update that
    // links the fix issue, when one follows (one request instead of two).
    let mut deferred_labels = Vec::new();
    if let Some(target) = pr_target {
        let have: &[String] = state
            .pull_request
            .as_ref()
            .map_or(&[], |p| p.labels.as_slice());
        let missing: Vec<String> = pr_labels(input.config, pm, &ready.block)
            .into_iter()
            .filter(|l| !have.iter().any(|h| h.eq_ignore_ascii_case(l)))
            .collect();
        if matches!(target, Target::Planned(_)) && fix_exists.is_none() {
            deferred_labels = missing;
        } else if !missing.is_empty() {
            plan.operations.push(Operation::AddLabels {
                target,
                labels: missing,
            });
        }
    }

    // 4. The fix issue: opened once; its fix changes only with a merged
    //    change to the document (crate::sync), never from a proposal.
    let unassignable = input.access.owner_assignable == Some(false);
    if unassignable {
        plan.annotations.push(Annotation::new(
            AnnotationLevel::Warning,
            format!("{} cannot be assigned", ready.block.owner),
            format!(
                "GitHub does not let the Action assign {} in {}: the fix issue names them instead. Give them access to the repository, then assign them.",
                ready.block.owner, repo.full_name
            ),
        ));
    }
    let fix_target = match fix_exists {
        Some(f) => {
            existing_fix_issue(input, ready, f, plan);
            Target::Number(f.number)
        }
        None => {
            created = true;
            let content = FixIssueContent {
                pull_request: pr_target,
                intake_issue: input.source.intake().map(|i| i.number),
                unassignable_in: unassignable.then(|| repo.full_name.clone()),
                ..FixIssueContent::new(
                    ready.block.clone(),
                    pm,
                    files::blob_url(
                        &repo.server_url,
                        &repo.full_name,
                        &repo.default_branch,
                        &ready.document_path,
                    ),
                    input.config.timezone.to_string(),
                )
            };
            plan.operations.push(Operation::CreateIssue {
                planned: Planned::FixIssue,
                title: fixissue::title(&ready.block),
                body: fixissue::render_body(&content),
                assignees: if unassignable {
                    Vec::new()
                } else {
                    vec![ready.block.owner.to_string()]
                },
                labels: fixissue::labels(&ready.block),
            });
            // The PR now gets the fix issue's number in its body.
            if let Some(target) = pr_target {
                plan.operations.push(Operation::UpdatePullRequest {
                    target,
                    title: title.clone(),
                    body: pr_body(input, ready, Some(Piece::Ref(Planned::FixIssue))),
                    labels: std::mem::take(&mut deferred_labels),
                });
            }
            Target::Planned(Planned::FixIssue)
        }
    };

    // 5. The readers, once the fix issue exists: a refusal stops nothing.
    if let Some(target) = pr_target {
        readers::requests(input, target, plan);
    }

    // 6. The intake issue: links, then closed.
    if let Some(intake) = input.source.intake() {
        let target = Target::Number(intake.number);
        if let Some(c) = intake
            .bot_comments
            .iter()
            .find(|c| has_marker(&c.body, M_FINDINGS))
        {
            let resolved = format!(
                "{}\n### The errors listed here are resolved\n\nThe Action has opened the postmortem; see the comment below.",
                marker(M_FINDINGS)
            );
            if c.body != resolved {
                plan.operations.push(Operation::UpdateComment {
                    comment_id: c.id,
                    body: Text::lit(resolved),
                });
            }
        }
        if intake
            .labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(NEEDS_WORK_LABEL))
        {
            plan.operations.push(Operation::RemoveLabels {
                target,
                labels: vec![NEEDS_WORK_LABEL.into()],
            });
        }
        // An intake recognised by the form's marker alone gets the label
        // GitHub dropped from the new-issue URL, so it is listed with the
        // others.
        if !intake
            .labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(&input.config.label))
        {
            plan.operations.push(Operation::AddLabels {
                target,
                labels: vec![input.config.label.clone()],
            });
        }
        if !intake
            .bot_comments
            .iter()
            .any(|c| has_marker(&c.body, M_OPENED))
        {
            let mut body = Text::lit(format!(
                "{}\nThe postmortem for **{}** is open for review.\n\n- Pull request: ",
                marker(M_OPENED),
                ready.id
            ));
            push_target(&mut body, pr_target);
            body.push("\n- Chain-level fix issue: ");
            push_target(&mut body, Some(fix_target));
            body.push(format!(
                "\n- Document: `{}`\n\nClosing this intake issue: the pull request is where the postmortem is read, changed and merged.",
                ready.document_path
            ));
            plan.operations.push(Operation::Comment { target, body });
        }
        if intake.open {
            plan.operations.push(Operation::CloseIssue {
                number: intake.number,
                reason: CloseReason::Completed,
            });
        }
    }

    // 7. Outputs and summary.
    let number_of = |t: Option<Target>, url: Option<&str>| -> (Text, Text) {
        match t {
            Some(Target::Number(n)) => {
                (Text::lit(n.to_string()), Text::lit(url.unwrap_or_default()))
            }
            Some(Target::Planned(p)) => (Text(vec![Piece::Number(p)]), Text(vec![Piece::Url(p)])),
            None => (Text::default(), Text::default()),
        }
    };
    let (pr_number, pr_url) = number_of(
        pr_target,
        state.pull_request.as_ref().map(|p| p.html_url.as_str()),
    );
    let (fix_number, _) = number_of(Some(fix_target), None);
    plan.outputs.push(("pr-number".into(), pr_number));
    plan.outputs.push(("pr-url".into(), pr_url));
    plan.outputs.push(("fix-issue-number".into(), fix_number));
    plan.outputs.push((
        "operation".into(),
        Text::lit(operation_output(plan, created)),
    ));
    plan.summary.push(format!(
        "Postmortem **{}**: document `{}`, {} file(s) to commit, fix at {} due {}.",
        ready.id,
        ready.document_path,
        ready.files.len(),
        ready.block.level.label(),
        ready.block.due
    ));
    if let Some(kept) = &ready.kept_fix {
        plan.summary.push(format!(
            "The fix issue #{} keeps the fix it was filed with (due {}) until a change to the document is merged.",
            kept.number, kept.block.due
        ));
    }
}

/// An existing fix issue: its labels and its owner's assignment are made
/// whole; its title and body (the fix) are left as they are.
fn existing_fix_issue(input: &OpenInput<'_>, ready: &Ready, f: &FixIssueState, plan: &mut Plan) {
    if !f.open {
        plan.summary.push(format!(
            "The fix issue #{} is closed; the Action leaves it as it is.",
            f.number
        ));
        return;
    }
    // The issue's own block says whose fix it is.
    let block = ready.kept_fix.as_ref().map_or(&ready.block, |k| &k.block);
    let missing: Vec<String> = fixissue::labels(block)
        .into_iter()
        .filter(|l| !f.labels.iter().any(|h| h.eq_ignore_ascii_case(l)))
        .collect();
    if !missing.is_empty() {
        plan.operations.push(Operation::AddLabels {
            target: Target::Number(f.number),
            labels: missing,
        });
    }
    let owner = block.owner.to_string();
    let assigned = f.assignees.iter().any(|a| a.eq_ignore_ascii_case(&owner));
    let may_assign =
        input.access.owner_assignable != Some(false) && block.owner == ready.block.owner;
    if !assigned && may_assign {
        plan.operations.push(Operation::AddAssignees {
            number: f.number,
            assignees: vec![owner],
        });
    }
}

fn push_target(text: &mut Text, target: Option<Target>) {
    match target {
        Some(Target::Number(n)) => {
            text.push(format!("#{n}"));
        }
        Some(Target::Planned(p)) => {
            text.push_piece(Piece::Ref(p));
        }
        None => {
            text.push("none (the postmortem is already on the default branch)");
        }
    }
}
