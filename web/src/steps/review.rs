//! Step 7: the summary of findings, the document exactly as the CLI
//! renders it, and submission to GitHub with no server of ours.

use leptos::prelude::*;
use postmortem::document::render;
use postmortem::lint::{Finding, Severity};

use super::step_frame;
use crate::form::{FormState, Step};
use postmortem::submission::{dispatch, new_issue};

/// The review step's view.
pub fn view(form: FormState) -> AnyView {
    let document = Memo::new(move |_| form.pm.with(|pm| render(&pm.normalized())));
    let body = view! {
        {summary(form)}
        <section class="preview-section" aria-labelledby=form.id("preview-heading")>
            <h4 id=form.id("preview-heading")>"The document, as the CLI renders it"</h4>
            <pre class="preview" tabindex="0" aria-labelledby=form.id("preview-heading")><code>{move || document.get()}</code></pre>
        </section>
        {submit(form, document)}
    };
    step_frame(
        form,
        Step::Review,
        "Read the document leadership will read, fix what the practice's rules still find, then submit it to the repository.",
        body.into_any(),
    )
}

/// Every finding and every field whose text does not parse, grouped by
/// step; each message leads to its field.
pub fn summary(form: FormState) -> impl IntoView {
    let heading_id = form.id("summary-heading");
    let item =
        move |path: String, class: &'static str, word: &'static str, text: String| -> AnyView {
            view! {
                <li class=class>
                    <strong>{word}</strong>
                    " "
                    <button type="button" class="link" on:click=move |_| form.go_to_field(&path)>
                        {text}
                    </button>
                </li>
            }
            .into_any()
        };
    // One group per step with something to say, in step order.
    let group = move |step: Step| -> AnyView {
        let mut items = Vec::new();
        form.pending.with(|p| {
            for (path, e) in p.iter() {
                if let (Some(err), true) = (&e.error, Step::of_path(path) == step) {
                    items.push(item(
                        path.to_owned(),
                        "finding finding-error",
                        "Error:",
                        err.clone(),
                    ));
                }
            }
        });
        form.findings.with(|fs| {
            for f in fs
                .iter()
                .filter(|f| Step::of_path(f.field.as_str()) == step)
            {
                let (class, word) = match f.severity {
                    Severity::Error => ("finding finding-error", "Error:"),
                    Severity::Warning => ("finding finding-warning", "Warning:"),
                };
                items.push(item(f.field.to_string(), class, word, f.message.clone()));
            }
        });
        if items.is_empty() {
            return ().into_any();
        }
        view! {
            <li class="summary-step">
                <h5>{step.title()}</h5>
                <ul>{items}</ul>
            </li>
        }
        .into_any()
    };
    let items = move || Step::ALL.into_iter().map(group).collect::<Vec<_>>();
    let labelled_by = heading_id.clone();
    view! {
        <section class="summary" aria-labelledby=labelled_by>
            <h4 id=heading_id tabindex="-1">
                {move || {
                    let (errors, warnings) = form.findings.with(|fs| counts(fs));
                    let unread = form.pending.with(|p| p.iter().filter(|(_, e)| e.error.is_some()).count());
                    if errors + warnings + unread == 0 {
                        "The practice's rules find nothing: ready to submit.".to_owned()
                    } else {
                        format!(
                            "Before you submit: {errors} {}, {warnings} {}{}",
                            plural(errors, "error", "errors"),
                            plural(warnings, "warning", "warnings"),
                            if unread > 0 { format!(", {unread} {} not understood", plural(unread, "field", "fields")) } else { String::new() }
                        )
                    }
                }}
            </h4>
            <ul class="summary-list">{items}</ul>
        </section>
    }
}

fn counts(fs: &[Finding]) -> (usize, usize) {
    let errors = fs.iter().filter(|f| f.severity == Severity::Error).count();
    (errors, fs.len() - errors)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Why the postmortem cannot be submitted yet, if it cannot: error
/// findings or fields not understood. The Action would refuse it, so the
/// form does not send it.
fn blocked(form: FormState) -> Option<String> {
    let errors = form.findings.with(|fs| counts(fs).0);
    let unread = form
        .pending
        .with(|p| p.iter().filter(|(_, e)| e.error.is_some()).count());
    (errors + unread > 0).then(|| {
        format!(
            "Not sent: the practice's rules still find {} {} to resolve (listed above), and the repository's Action would refuse the postmortem. Your draft stays here.",
            errors + unread,
            plural(errors + unread, "problem", "problems")
        )
    })
}

/// Submission: a prefilled new-issue page (or the clipboard when the
/// document is too long for a URL), or a `repository_dispatch` event with a
/// token kept in memory only. Neither sends a postmortem the practice's
/// rules find errors in, or one GitHub would refuse for its size.
fn submit(form: FormState, document: Memo<String>) -> impl IntoView {
    let config = form.config.get_value();
    let status = RwSignal::new(String::new());
    let link: RwSignal<Option<String>> = RwSignal::new(None);
    let token = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let token_id = form.id("token");
    let Some(repo) = config.repo.clone() else {
        return view! {
            <section class="submit">
                <h4>"Submit"</h4>
                <p>"This form was embedded without data-repo, so it does not know where to submit: export the Markdown or JSON with the buttons below and add it to the repository."</p>
            </section>
        }
        .into_any();
    };
    let repo_a = repo.clone();
    let cfg = config.clone();
    let open_issue = move |_| {
        if let Some(why) = blocked(form) {
            return status.set(why);
        }
        let doc = document.get_untracked();
        let title = form.pm.with_untracked(new_issue::title);
        match new_issue::new_issue(&cfg.web_base, &repo_a, &title, &cfg.label, &doc) {
            Err(too_large) => status.set(format!("Not sent: {too_large}.")),
            Ok(new_issue::NewIssue::Prefilled { url }) => {
                let opened = crate::browser::open(&url);
                status.set(if opened {
                    "The new-issue page opened in a new tab with the postmortem filled in: check it and press Submit new issue there. The repository's Action then answers on that issue.".to_owned()
                } else {
                    "The browser did not open a new tab: follow the link below.".to_owned()
                });
                link.set(Some(url));
            }
            Ok(new_issue::NewIssue::Paste { url, clipboard }) => {
                link.set(Some(url.clone()));
                leptos::task::spawn_local(async move {
                    let copied = crate::browser::copy(&clipboard).await;
                    let opened = crate::browser::open(&url);
                    status.set(match (copied, opened) {
                        (Ok(()), true) => "The postmortem is too long for a link: it is on your clipboard; paste it into the issue body on the page that opened.".to_owned(),
                        (Ok(()), false) => "The postmortem is too long for a link: it is on your clipboard; open the link below and paste it into the issue body.".to_owned(),
                        (Err(e), _) => format!("The postmortem is too long for a link and the clipboard refused it ({e}): use Copy Markdown below or export it, then open the link below and paste it."),
                    });
                });
            }
        }
    };
    let api_base = config.api_base.clone();
    let destination = format!("{api_base}{}", dispatch::path(&repo));
    let results = format!("{}/{repo}", config.web_base);
    let send = move |_| {
        if let Some(why) = blocked(form) {
            return status.set(why);
        }
        let tok = token.get_untracked();
        if tok.trim().is_empty() {
            return status.set(
                "Paste a token first: it is kept in this page's memory only, never stored."
                    .to_owned(),
            );
        }
        let body = match dispatch::body(&document.get_untracked()) {
            Ok(body) => body,
            Err(too_large) => return status.set(format!("Not sent: {too_large}.")),
        };
        let (api, repo, results) = (api_base.clone(), repo.clone(), results.clone());
        sending.set(true);
        status.set(format!("Sending the postmortem to {repo}…"));
        leptos::task::spawn_local(async move {
            let result = crate::submit::dispatch(&api, &repo, &tok, &body).await;
            let _ = sending.try_set(false);
            let _ = status.try_set(match result {
                Ok(()) => format!("Sent to {repo}. Its postmortem Action opens the pull request next to the runbook, or, if it finds something to change, an issue listing it: look for either at {results}/pulls and {results}/issues in a minute."),
                Err(e) => format!("Not sent: {e}"),
            });
        });
    };
    view! {
        <section class="submit" aria-labelledby=form.id("submit-heading")>
            <h4 id=form.id("submit-heading")>{format!("Submit to {}", config.repo.clone().unwrap_or_default())}</h4>
            <p>"Without a token: open a new issue on the repository with the postmortem filled in. The repository's Action turns it into a pull request."</p>
            <button type="button" class="primary" on:click=open_issue>"Open a GitHub issue"</button>
            <div class="field">
                <label for=token_id.clone()>"Or send it directly with a token"</label>
                <p class="hint" id=format!("{token_id}-hint")>
                    {format!("A fine-grained token with contents: write on this repository. It is sent only to {destination}, stays in this page's memory and is never stored.")}
                </p>
                <input
                    type="password"
                    id=token_id.clone()
                    autocomplete="off"
                    aria-describedby=format!("{token_id}-hint")
                    prop:value=move || token.get()
                    on:input=move |ev| token.set(event_target_value(&ev))
                />
            </div>
            <button type="button" on:click=send disabled=move || sending.get()>"Send to the repository"</button>
            <p role="status" class="status">{move || status.get()}</p>
            {move || link.get().map(|url| view! {
                <p><a href=url target="_blank" rel="noopener noreferrer">"Open the new-issue page"</a></p>
            })}
        </section>
    }
    .into_any()
}
