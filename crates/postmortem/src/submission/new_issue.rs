//! GitHub's new-issue page, prefilled: the route for people without a
//! token.
//!
//! The page takes `title`, `labels` and `body` from its query string.
//! GitHub applies `labels` only for people who may triage the repository
//! and drops it silently for everyone else, so the label is a courtesy:
//! the body's intake marker is what makes the Action act on the issue.

use postmortem_model::{Postmortem, normalize_line, percent_encode};

use super::{TooLarge, intake};

/// The longest new-issue URL sent: GitHub answers 414 beyond about 8 KB.
pub const URL_LIMIT: usize = 8000;

/// The line put in the issue body when the intake body is on the
/// clipboard instead of in the URL.
pub const PASTE_INSTRUCTION: &str =
    "Replace this line with the postmortem: it is on your clipboard (Ctrl+V or Cmd+V).";

/// The issue's title for a postmortem: the incident and its title, on one
/// line.
pub fn title(pm: &Postmortem) -> String {
    let id = pm.incident.id.as_ref().map(|i| i.as_str());
    let title = normalize_line(&pm.incident.title);
    match (id, title.is_empty()) {
        (Some(id), false) => format!("Postmortem {id}: {title}"),
        (Some(id), true) => format!("Postmortem {id}"),
        (None, false) => format!("Postmortem: {title}"),
        (None, true) => "Postmortem".to_owned(),
    }
}

/// How the route without a token goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewIssue {
    /// The whole intake body fits in the URL.
    Prefilled {
        /// The new-issue page.
        url: String,
    },
    /// Too long for a URL: copy `clipboard` (the intake body), then open
    /// `url`, whose body is [`PASTE_INSTRUCTION`].
    Paste {
        /// The new-issue page.
        url: String,
        /// What the person pastes into the body.
        clipboard: String,
    },
}

/// The new-issue page of `repo` on `web_base` (e.g. `https://github.com`)
/// for `document`, or why GitHub would refuse it as an issue body.
pub fn new_issue(
    web_base: &str,
    repo: &str,
    title: &str,
    label: &str,
    document: &str,
) -> Result<NewIssue, TooLarge> {
    let body = intake::body(document)?;
    let base = format!(
        "{web_base}/{repo}/issues/new?title={}&labels={}&body=",
        percent_encode(title),
        percent_encode(label)
    );
    let url = format!("{base}{}", percent_encode(&body));
    Ok(if url.len() <= URL_LIMIT {
        NewIssue::Prefilled { url }
    } else {
        NewIssue::Paste {
            url: format!("{base}{}", percent_encode(PASTE_INSTRUCTION)),
            clipboard: body,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::Limits;

    #[test]
    fn short_documents_are_prefilled_as_an_intake_body() {
        let Ok(NewIssue::Prefilled { url }) = new_issue(
            "https://github.com",
            "acme/ops",
            "Postmortem INC-1: a & b",
            "postmortem",
            "# Title\n",
        ) else {
            panic!("expected a prefilled link");
        };
        assert!(url.starts_with(
            "https://github.com/acme/ops/issues/new?title=Postmortem%20INC-1%3A%20a%20%26%20b&labels=postmortem&body=%3C%21--%20postmortem-intake%3Av1%20--%3E%0A"
        ));
        assert!(url.ends_with("%60%60%60%60markdown%0A%23%20Title%0A%60%60%60%60%0A"));
    }

    #[test]
    fn long_documents_go_through_the_clipboard() {
        let doc = "x".repeat(URL_LIMIT);
        let Ok(NewIssue::Paste { url, clipboard }) =
            new_issue("https://github.com", "acme/ops", "t", "postmortem", &doc)
        else {
            panic!("expected the clipboard route");
        };
        assert!(url.len() < 400 && url.ends_with(&percent_encode(PASTE_INSTRUCTION)));
        assert!(intake::is_intake(&clipboard));
        assert_eq!(
            intake::extract(&clipboard).unwrap().document,
            format!("{doc}\n")
        );
    }

    #[test]
    fn a_document_too_long_for_an_issue_is_refused() {
        let doc = "x".repeat(Limits::ISSUE_BODY_CHARS);
        assert!(new_issue("https://github.com", "a/b", "t", "p", &doc).is_err());
    }

    #[test]
    fn titles_name_the_incident() {
        let mut pm = Postmortem::default();
        assert_eq!(title(&pm), "Postmortem");
        pm.incident.id = Some("INC-7".parse().unwrap());
        pm.incident.title = " queue\nslow ".into();
        assert_eq!(title(&pm), "Postmortem INC-7: queue slow");
    }
}
