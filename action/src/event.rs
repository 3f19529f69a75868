//! What started this run: the event JSON at `$GITHUB_EVENT_PATH`, read
//! into a typed [`Trigger`].
//!
//! The structs below keep only the fields the Action uses, every one
//! optional or defaulted where GitHub's description allows it to be null
//! or absent, and they ignore everything else, so a payload that grows new
//! fields (or a GitHub Enterprise payload that lacks some) still reads.
//! The shapes follow GitHub's webhook descriptions (`issues`,
//! `repository_dispatch`, `workflow_dispatch`, `schedule`,
//! `pull_request`). A run that is not for the Action (an issue without the
//! postmortem label, a dispatch of another type) is a [`Trigger::Ignored`]
//! with the reason, not an error: the workflow simply has nothing to do.

use std::fmt;

use serde::{Deserialize, Serialize};

use postmortem::submission::{EVENT_TYPE, dispatch, intake};

/// A run's event, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What the run is asked to do.
    pub trigger: Trigger,
    /// The repository, when the payload names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<Repository>,
}

/// The repository as a payload names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    /// `owner/name`.
    pub full_name: String,
    /// The default branch, e.g. `main`.
    #[serde(default)]
    pub default_branch: Option<String>,
}

/// What the run is asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Trigger {
    /// An intake issue was opened, edited or labelled: it carries the
    /// postmortem label or the intake marker the form writes
    /// ([`intake::is_intake`]; GitHub drops a new-issue URL's labels for
    /// people who may not triage), and its body holds the document.
    IntakeIssue(IntakeIssue),
    /// The browser form sent the document with `repository_dispatch`.
    FormDispatch {
        /// The Markdown document, as sent.
        document: String,
        /// Who sent it (the token's owner), if the payload says.
        sender: Option<String>,
    },
    /// Someone ran the workflow by hand for intake issue `number`; the
    /// shell fetches the issue and plans as for [`Trigger::IntakeIssue`].
    ManualIssue {
        /// The issue number given as the `issue` input.
        number: u64,
    },
    /// Someone ran the workflow by hand without naming an issue (a check
    /// on demand).
    ManualRun,
    /// The scheduled check.
    Schedule {
        /// The cron expression that fired, if the payload says.
        cron: Option<String>,
    },
    /// A pull request event (lint mode reads its documents).
    PullRequest(PullRequest),
    /// A push to the default branch: the changes merged into it (open mode
    /// brings fix issues in line with merged documents, see
    /// [`crate::sync`]).
    Push {
        /// The branch's head before the push.
        before: String,
        /// Its head after.
        after: String,
    },
    /// Nothing for the Action to do, and why.
    Ignored {
        /// Why the run does nothing.
        reason: String,
    },
}

/// The intake issue as the event shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeIssue {
    /// The issue number.
    pub number: u64,
    /// `opened`, `edited` or `labeled`.
    pub action: String,
    /// The title.
    pub title: String,
    /// The body, which holds the document ("" when GitHub sends null).
    pub body: String,
    /// Who opened the issue.
    pub author: Option<String>,
    /// The issue's page.
    pub html_url: Option<String>,
    /// Whether it is open.
    pub open: bool,
    /// Its labels.
    pub labels: Vec<String>,
}

/// A pull request as its event shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The number.
    pub number: u64,
    /// `opened`, `synchronize`, `closed`, …
    pub action: String,
    /// The head branch.
    pub head_ref: String,
    /// The head commit.
    pub head_sha: String,
    /// The base branch.
    pub base_ref: String,
    /// Whether it was merged (on `closed`).
    pub merged: bool,
}

/// Why the event could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    /// The file is not JSON.
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The JSON is not the shape GitHub sends for this event.
    Shape {
        /// The event name.
        event: String,
        /// What was wrong, naming the field.
        message: String,
    },
    /// The workflow runs the Action on an event it does not handle.
    Unsupported {
        /// The event name.
        event: String,
    },
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::NotJson {
                line,
                column,
                message,
            } => write!(
                f,
                "the event file is not JSON (line {line}, column {column}): {message}"
            ),
            EventError::Shape { event, message } => {
                write!(f, "the {event} event payload is not as expected: {message}")
            }
            EventError::Unsupported { event } => write!(
                f,
                "the Action does not handle the {event:?} event: run it on issues, repository_dispatch (type {EVENT_TYPE}), workflow_dispatch, schedule, pull_request or push"
            ),
        }
    }
}

impl std::error::Error for EventError {}

#[derive(Deserialize)]
struct RawRepository {
    full_name: String,
    #[serde(default)]
    default_branch: Option<String>,
}

#[derive(Deserialize)]
struct RawLabel {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(default)]
    login: Option<String>,
}

#[derive(Deserialize)]
struct RawIssue {
    number: u64,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<RawUser>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    labels: Option<Vec<RawLabel>>,
    // Present when the "issue" is a pull request.
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct IssuesPayload {
    action: String,
    issue: RawIssue,
    #[serde(default)]
    label: Option<RawLabel>,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
struct DispatchPayload {
    action: String,
    #[serde(default)]
    client_payload: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    sender: Option<RawUser>,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
struct WorkflowDispatchPayload {
    #[serde(default)]
    inputs: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
struct SchedulePayload {
    #[serde(default)]
    schedule: Option<String>,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
struct RawRef {
    #[serde(rename = "ref")]
    name: String,
    #[serde(default)]
    sha: String,
}

#[derive(Deserialize)]
struct RawPull {
    number: u64,
    head: RawRef,
    base: RawRef,
    #[serde(default)]
    merged: Option<bool>,
}

#[derive(Deserialize)]
struct PushPayload {
    #[serde(rename = "ref")]
    git_ref: String,
    before: String,
    after: String,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
struct PullRequestPayload {
    action: String,
    pull_request: RawPull,
    #[serde(default)]
    repository: Option<RawRepository>,
}

/// Reads the event `event_name` (`$GITHUB_EVENT_NAME`) from `json` (the
/// contents of `$GITHUB_EVENT_PATH`). `label` is the configured intake
/// label; an issue without it is ignored.
pub fn parse(event_name: &str, json: &str, label: &str) -> Result<Event, EventError> {
    // Check it is JSON at all first, so that error names line and column.
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| EventError::NotJson {
        line: e.line(),
        column: e.column(),
        message: postmortem_model::json_error_message(&e),
    })?;
    let shape = |e: serde_json::Error| EventError::Shape {
        event: event_name.to_owned(),
        message: e.to_string(),
    };
    match event_name {
        "issues" => {
            let p: IssuesPayload = serde_json::from_value(value).map_err(shape)?;
            Ok(issues_event(p, label))
        }
        "repository_dispatch" => {
            let p: DispatchPayload = serde_json::from_value(value).map_err(shape)?;
            dispatch_event(p)
        }
        "workflow_dispatch" => {
            let p: WorkflowDispatchPayload = serde_json::from_value(value).map_err(shape)?;
            workflow_dispatch_event(p)
        }
        "schedule" => {
            let p: SchedulePayload = serde_json::from_value(value).map_err(shape)?;
            Ok(Event {
                trigger: Trigger::Schedule { cron: p.schedule },
                repository: p.repository.map(Repository::from),
            })
        }
        "pull_request" => {
            let p: PullRequestPayload = serde_json::from_value(value).map_err(shape)?;
            Ok(Event {
                trigger: Trigger::PullRequest(PullRequest {
                    number: p.pull_request.number,
                    action: p.action,
                    head_ref: p.pull_request.head.name,
                    head_sha: p.pull_request.head.sha,
                    base_ref: p.pull_request.base.name,
                    merged: p.pull_request.merged.unwrap_or(false),
                }),
                repository: p.repository.map(Repository::from),
            })
        }
        "push" => {
            let p: PushPayload = serde_json::from_value(value).map_err(shape)?;
            Ok(push_event(p))
        }
        other => Err(EventError::Unsupported {
            event: other.to_owned(),
        }),
    }
}

impl From<RawRepository> for Repository {
    fn from(r: RawRepository) -> Self {
        Repository {
            full_name: r.full_name,
            default_branch: r.default_branch,
        }
    }
}

fn ignored(reason: impl Into<String>) -> Trigger {
    Trigger::Ignored {
        reason: reason.into(),
    }
}

fn issues_event(p: IssuesPayload, label: &str) -> Event {
    let repository = p.repository.map(Repository::from);
    let labels: Vec<String> = p
        .issue
        .labels
        .unwrap_or_default()
        .into_iter()
        .map(|l| l.name)
        .collect();
    // GitHub label names are unique regardless of case.
    let body = p.issue.body.unwrap_or_default();
    let carries = labels.iter().any(|l| l.eq_ignore_ascii_case(label)) || intake::is_intake(&body);
    let number = p.issue.number;
    let trigger = if p.issue.pull_request.is_some() {
        ignored(format!("#{number} is a pull request, not an intake issue"))
    } else if !matches!(p.action.as_str(), "opened" | "edited" | "labeled") {
        ignored(format!(
            "issue #{number} was {}; only opened, edited and labeled are read",
            p.action
        ))
    } else if p.action == "labeled"
        && !p
            .label
            .as_ref()
            .is_some_and(|l| l.name.eq_ignore_ascii_case(label))
    {
        ignored(format!(
            "issue #{number} was given another label than {label:?}"
        ))
    } else if !carries {
        ignored(format!(
            "issue #{number} carries neither the {label:?} label nor the form's intake marker"
        ))
    } else {
        Trigger::IntakeIssue(IntakeIssue {
            number,
            action: p.action,
            title: p.issue.title.unwrap_or_default(),
            body,
            author: p.issue.user.and_then(|u| u.login),
            html_url: p.issue.html_url,
            open: p.issue.state.as_deref() != Some("closed"),
            labels,
        })
    };
    Event {
        trigger,
        repository,
    }
}

fn dispatch_event(p: DispatchPayload) -> Result<Event, EventError> {
    let repository = p.repository.map(Repository::from);
    if p.action != EVENT_TYPE {
        return Ok(Event {
            trigger: ignored(format!(
                "repository_dispatch of type {:?}; the form sends {EVENT_TYPE:?}",
                p.action
            )),
            repository,
        });
    }
    let document = dispatch::document_of(p.client_payload.as_ref())
        .map_err(|e| EventError::Shape {
            event: "repository_dispatch".into(),
            message: e.to_string(),
        })?
        .to_owned();
    Ok(Event {
        trigger: Trigger::FormDispatch {
            document,
            sender: p.sender.and_then(|s| s.login),
        },
        repository,
    })
}

fn push_event(p: PushPayload) -> Event {
    let repository = p.repository.map(Repository::from);
    let zero = |sha: &str| sha.bytes().all(|b| b == b'0');
    let default = repository.as_ref().and_then(|r| r.default_branch.clone());
    let trigger = match default {
        _ if p.deleted || zero(&p.after) => ignored(format!("{} was deleted", p.git_ref)),
        _ if zero(&p.before) => ignored(format!("{} is a new branch", p.git_ref)),
        Some(d) if p.git_ref != format!("refs/heads/{d}") => ignored(format!(
            "a push to {}; merged postmortems are read on the default branch, {d}",
            p.git_ref
        )),
        _ => Trigger::Push {
            before: p.before,
            after: p.after,
        },
    };
    Event {
        trigger,
        repository,
    }
}

fn workflow_dispatch_event(p: WorkflowDispatchPayload) -> Result<Event, EventError> {
    let repository = p.repository.map(Repository::from);
    let issue = p.inputs.as_ref().and_then(|i| i.get("issue"));
    let bad = |v: &serde_json::Value| EventError::Shape {
        event: "workflow_dispatch".into(),
        message: format!("input `issue` is {v}: expected an issue number such as 42, or empty"),
    };
    // Inputs arrive as strings in the event payload; a number is accepted
    // too, in case a caller builds the payload itself.
    let number = match issue {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
        Some(v @ serde_json::Value::String(s)) => {
            let digits = s.trim().trim_start_matches('#');
            Some(
                digits
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| bad(v))?,
            )
        }
        Some(v @ serde_json::Value::Number(n)) => {
            Some(n.as_u64().filter(|n| *n > 0).ok_or_else(|| bad(v))?)
        }
        Some(v) => return Err(bad(v)),
    };
    Ok(Event {
        trigger: match number {
            Some(number) => Trigger::ManualIssue { number },
            None => Trigger::ManualRun,
        },
        repository,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Shapes as GitHub sends them (trimmed from @octokit/webhooks-examples
    // style payloads; extra fields kept to show they are tolerated).
    const ISSUE_OPENED: &str = r#"{
      "action": "opened",
      "issue": {
        "url": "https://api.github.com/repos/acme/app/issues/12",
        "html_url": "https://github.com/acme/app/issues/12",
        "id": 1, "node_id": "I_1", "number": 12,
        "title": "Postmortem: queue.render p95",
        "user": {"login": "senior-dev", "id": 7, "type": "User"},
        "labels": [{"id": 1, "name": "Postmortem", "color": "ededed", "default": false}],
        "state": "open", "locked": false, "assignee": null, "assignees": [],
        "milestone": null, "comments": 0,
        "created_at": "2026-05-21T09:00:00Z", "updated_at": "2026-05-21T09:00:00Z",
        "closed_at": null, "author_association": "MEMBER",
        "body": "---\nschema_version: 1\n---\n# Postmortem\n",
        "reactions": {"total_count": 0}
      },
      "repository": {"id": 9, "full_name": "acme/app", "default_branch": "main", "private": true},
      "sender": {"login": "senior-dev", "id": 7}
    }"#;

    #[test]
    fn an_intake_issue_is_read() {
        let e = parse("issues", ISSUE_OPENED, "postmortem").unwrap();
        let Trigger::IntakeIssue(issue) = e.trigger else {
            panic!("{e:?}")
        };
        assert_eq!(issue.number, 12);
        assert_eq!(issue.action, "opened");
        assert!(issue.body.starts_with("---"));
        assert_eq!(issue.author.as_deref(), Some("senior-dev"));
        assert!(issue.open);
        assert_eq!(
            e.repository.unwrap(),
            Repository {
                full_name: "acme/app".into(),
                default_branch: Some("main".into())
            }
        );
    }

    #[test]
    fn an_issue_without_the_label_is_ignored() {
        let e = parse("issues", ISSUE_OPENED, "incident").unwrap();
        assert!(
            matches!(e.trigger, Trigger::Ignored { reason } if reason.contains("\"incident\""))
        );
    }

    #[test]
    fn labeled_counts_only_for_our_label_and_null_body_is_empty() {
        let json = r#"{"action":"labeled","label":{"name":"bug"},
            "issue":{"number":3,"body":null,"labels":[{"name":"bug"},{"name":"postmortem"}]}}"#;
        assert!(matches!(
            parse("issues", json, "postmortem").unwrap().trigger,
            Trigger::Ignored { .. }
        ));
        let json = json.replace(r#"{"name":"bug"},"#, r#"{"name":"postmortem"},"#);
        let json = json.replacen(
            r#""label":{"name":"bug"}"#,
            r#""label":{"name":"postmortem"}"#,
            1,
        );
        let Trigger::IntakeIssue(issue) = parse("issues", &json, "postmortem").unwrap().trigger
        else {
            panic!()
        };
        assert_eq!(issue.body, "");
    }

    #[test]
    fn closed_and_deleted_issues_are_ignored() {
        let json = ISSUE_OPENED.replacen("\"opened\"", "\"closed\"", 1);
        assert!(matches!(
            parse("issues", &json, "postmortem").unwrap().trigger,
            Trigger::Ignored { .. }
        ));
    }

    #[test]
    fn the_form_dispatch_carries_the_document() {
        let json = r#"{"action":"postmortem","branch":"main",
            "client_payload":{"document":"---\nx: 1\n---\n","form_version":"2"},
            "repository":{"full_name":"acme/app","default_branch":"main"},
            "sender":{"login":"senior-dev"},"installation":{"id":1}}"#;
        let e = parse("repository_dispatch", json, "postmortem").unwrap();
        assert_eq!(
            e.trigger,
            Trigger::FormDispatch {
                document: "---\nx: 1\n---\n".into(),
                sender: Some("senior-dev".into())
            }
        );
    }

    #[test]
    fn other_dispatches_are_ignored_and_a_missing_document_is_named() {
        let other = r#"{"action":"deploy","branch":"main","client_payload":null}"#;
        assert!(matches!(
            parse("repository_dispatch", other, "postmortem")
                .unwrap()
                .trigger,
            Trigger::Ignored { .. }
        ));
        let missing = r#"{"action":"postmortem","branch":"main","client_payload":{}}"#;
        let err = parse("repository_dispatch", missing, "postmortem").unwrap_err();
        assert!(
            err.to_string()
                .contains("client_payload.document is missing")
        );
        let wrong = r#"{"action":"postmortem","client_payload":{"document":3}}"#;
        assert!(parse("repository_dispatch", wrong, "postmortem").is_err());
    }

    #[test]
    fn workflow_dispatch_reads_the_issue_input() {
        let with = r##"{"inputs":{"issue":"#42"},"ref":"refs/heads/main","workflow":".github/workflows/pm.yml","repository":{"full_name":"acme/app"}}"##;
        assert_eq!(
            parse("workflow_dispatch", with, "postmortem")
                .unwrap()
                .trigger,
            Trigger::ManualIssue { number: 42 }
        );
        let number = r#"{"inputs":{"issue":7}}"#;
        assert_eq!(
            parse("workflow_dispatch", number, "postmortem")
                .unwrap()
                .trigger,
            Trigger::ManualIssue { number: 7 }
        );
        for empty in [r#"{"inputs":null}"#, r#"{"inputs":{"issue":""}}"#, "{}"] {
            assert_eq!(
                parse("workflow_dispatch", empty, "postmortem")
                    .unwrap()
                    .trigger,
                Trigger::ManualRun
            );
        }
        let err = parse("workflow_dispatch", r#"{"inputs":{"issue":"twelve"}}"#, "p").unwrap_err();
        assert!(err.to_string().contains("input `issue`"));
    }

    #[test]
    fn schedule_and_pull_request_are_read() {
        let s = parse("schedule", r#"{"schedule":"17 6 * * *"}"#, "p").unwrap();
        assert_eq!(
            s.trigger,
            Trigger::Schedule {
                cron: Some("17 6 * * *".into())
            }
        );
        let pr = r#"{"action":"closed","number":5,"pull_request":{"number":5,"merged":true,
            "head":{"ref":"postmortem/INC-1","sha":"abc","repo":{}},"base":{"ref":"main","sha":"def"}}}"#;
        let Trigger::PullRequest(p) = parse("pull_request", pr, "p").unwrap().trigger else {
            panic!()
        };
        assert!(p.merged);
        assert_eq!(p.head_ref, "postmortem/INC-1");
    }

    #[test]
    fn a_push_to_the_default_branch_is_read_and_others_are_ignored() {
        let push = |r: &str, before: &str| {
            format!(
                r#"{{"ref":"{r}","before":"{before}","after":"2222222222222222222222222222222222222222","repository":{{"full_name":"acme/app","default_branch":"main"}}}}"#
            )
        };
        let old = "1111111111111111111111111111111111111111";
        assert_eq!(
            parse("push", &push("refs/heads/main", old), "p")
                .unwrap()
                .trigger,
            Trigger::Push {
                before: old.into(),
                after: "2222222222222222222222222222222222222222".into()
            }
        );
        for (r, b) in [
            ("refs/heads/feature", old),
            ("refs/tags/v1", old),
            (
                "refs/heads/main",
                "0000000000000000000000000000000000000000",
            ),
        ] {
            assert!(matches!(
                parse("push", &push(r, b), "p").unwrap().trigger,
                Trigger::Ignored { .. }
            ));
        }
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let err = parse("issues", "{\n nope", "p").unwrap_err();
        assert!(matches!(err, EventError::NotJson { line: 2, .. }));
        let err = parse("issues", r#"{"action":"opened"}"#, "p").unwrap_err();
        assert!(err.to_string().contains("missing field `issue`"));
        let err = parse("release", "{}", "p").unwrap_err();
        assert!(
            err.to_string()
                .contains("does not handle the \"release\" event")
        );
    }

    proptest! {
        #[test]
        fn any_text_reads_without_panicking(
            name in prop::sample::select(vec!["issues", "repository_dispatch", "workflow_dispatch", "schedule", "pull_request", "push"]),
            s in any::<String>(),
        ) {
            let _ = parse(name, &s, "postmortem");
        }

        #[test]
        fn any_json_value_reads_without_panicking(
            name in prop::sample::select(vec!["issues", "repository_dispatch", "workflow_dispatch", "schedule", "pull_request"]),
            v in json_value(),
        ) {
            let _ = parse(name, &v.to_string(), "postmortem");
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z#0-9 ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            let keys = prop::sample::select(vec![
                "action",
                "issue",
                "number",
                "labels",
                "name",
                "body",
                "label",
                "inputs",
                "client_payload",
                "document",
                "pull_request",
                "head",
                "base",
                "ref",
                "repository",
                "full_name",
                "schedule",
                "merged",
                "state",
            ]);
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys, inner, 0..6).prop_map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                }),
            ]
        })
    }
}
