//! The embedding contract's configuration: what a page says about the form
//! through the element's `data-*` attributes (or the standalone page's query
//! string), read once when the form mounts.

use postmortem::model::{IncidentId, RepoPath};
use wasm_bindgen::JsValue;

/// The REST API GitHub.com serves; GitHub Enterprise Server hosts use
/// `https://<host>/api/v3`.
pub const DEFAULT_API_BASE: &str = "https://api.github.com";
/// Where GitHub.com serves its pages (the new-issue page).
pub const DEFAULT_WEB_BASE: &str = "https://github.com";
/// The label a submitted issue carries unless `data-label` says otherwise.
pub use postmortem::submission::DEFAULT_LABEL;

/// How one `<postmortem-form>` is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `owner/name` of the repository that receives the postmortem.
    pub repo: Option<String>,
    /// The runbook the postmortem is published next to; prefills the
    /// runbook step.
    pub runbook: Option<RepoPath>,
    /// The incident the form is for; prefills the incident id and names
    /// the draft.
    pub incident: Option<IncidentId>,
    /// REST API base for `repository_dispatch`, without a trailing `/`.
    pub api_base: String,
    /// Web base for the new-issue page, without a trailing `/`.
    pub web_base: String,
    /// The label of the issue that carries the postmortem.
    pub label: String,
    /// The localStorage key of the draft, when the page names it.
    pub draft_key: Option<String>,
    /// Problems with the attributes, shown to the person filling the form.
    pub problems: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            repo: None,
            runbook: None,
            incident: None,
            api_base: DEFAULT_API_BASE.to_owned(),
            web_base: DEFAULT_WEB_BASE.to_owned(),
            label: DEFAULT_LABEL.to_owned(),
            draft_key: None,
            problems: Vec::new(),
        }
    }
}

/// Whether `repo` reads as `owner/name` with GitHub's characters.
pub fn is_repo_name(repo: &str) -> bool {
    let Some((owner, name)) = repo.split_once('/') else {
        return false;
    };
    let ok = |s: &str, extra: &[char]| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || extra.contains(&c))
    };
    ok(owner, &[]) && ok(name, &['.', '_']) && name != "." && name != ".."
}

/// An `https://` (or, for local testing, `http://127.0.0.1` / `localhost`)
/// base URL without a trailing slash, or `None` when it is not one.
pub fn clean_base(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| url.starts_with(p));
    let safe = url
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && !"\"'<>`".contains(c));
    ((url.starts_with("https://") && url.len() > "https://".len()) || local)
        .then(|| url.to_owned())
        .filter(|_| safe)
}

impl Config {
    /// Reads the configuration from pairs of attribute name (without
    /// `data-`, in dataset camelCase: `repo`, `apiBase`) and value.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Config {
        let mut config = Config::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "repo" => {
                    if is_repo_name(value) {
                        config.repo = Some(value.to_owned());
                    } else {
                        config.problems.push(format!(
                            "data-repo {value:?} is not a repository: expected owner/name, e.g. acme/ops"
                        ));
                    }
                }
                "runbook" => match value.parse::<RepoPath>() {
                    Ok(p) => config.runbook = Some(p),
                    Err(e) => config.problems.push(format!("data-runbook: {e}")),
                },
                "incident" => match value.parse::<IncidentId>() {
                    Ok(id) => config.incident = Some(id),
                    Err(e) => config.problems.push(format!("data-incident: {e}")),
                },
                "apiBase" => match clean_base(value) {
                    Some(b) => config.api_base = b,
                    None => config.problems.push(format!(
                        "data-api-base {value:?} is not an https:// URL; using {DEFAULT_API_BASE}"
                    )),
                },
                "githubUrl" => match clean_base(value) {
                    Some(b) => config.web_base = b,
                    None => config.problems.push(format!(
                        "data-github-url {value:?} is not an https:// URL; using {DEFAULT_WEB_BASE}"
                    )),
                },
                "label" => config.label = value.chars().take(50).collect(),
                "draftKey" => config.draft_key = Some(value.chars().take(200).collect()),
                _ => {}
            }
        }
        config
    }

    /// Reads the configuration from a JavaScript object of strings, such as
    /// an element's `dataset`. Anything that is not an object gives the
    /// defaults.
    pub fn from_js(value: &JsValue) -> Config {
        let Some(object) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Object>(value) else {
            return Config::default();
        };
        let pairs: Vec<(String, String)> = js_sys::Object::entries(object)
            .iter()
            .filter_map(|entry| {
                let entry = js_sys::Array::from(&entry);
                Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
            })
            .collect();
        Config::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The localStorage key of this form's draft: namespaced by repository
    /// and incident, because every page of a wiki shares one origin.
    pub fn storage_key(&self) -> String {
        if let Some(key) = &self.draft_key {
            return format!("postmortem-form:v1:{key}");
        }
        let repo = self.repo.as_deref().unwrap_or("-");
        let incident = self.incident.as_ref().map_or("new", |i| i.as_str());
        format!("postmortem-form:v1:{repo}:{incident}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_configure_the_form() {
        let c = Config::from_pairs([
            ("repo", "acme/ops"),
            ("runbook", "runbooks/RB-021.md"),
            ("incident", "INC-2026-0142"),
            ("apiBase", "https://ghe.example.com/api/v3/"),
            ("label", "incident"),
        ]);
        assert_eq!(c.repo.as_deref(), Some("acme/ops"));
        assert_eq!(c.api_base, "https://ghe.example.com/api/v3");
        assert_eq!(c.label, "incident");
        assert!(c.problems.is_empty());
        assert_eq!(c.storage_key(), "postmortem-form:v1:acme/ops:INC-2026-0142");
    }

    #[test]
    fn bad_attributes_are_reported_not_used() {
        let c = Config::from_pairs([
            ("repo", "acme"),
            ("runbook", "../etc/passwd"),
            ("apiBase", "javascript:alert(1)"),
        ]);
        assert_eq!(c.repo, None);
        assert_eq!(c.runbook, None);
        assert_eq!(c.api_base, DEFAULT_API_BASE);
        assert_eq!(c.problems.len(), 3);
    }

    #[test]
    fn drafts_of_different_incidents_have_different_keys() {
        let a = Config::from_pairs([("repo", "acme/ops"), ("incident", "INC-1")]);
        let b = Config::from_pairs([("repo", "acme/ops"), ("incident", "INC-2")]);
        assert_ne!(a.storage_key(), b.storage_key());
        assert_eq!(Config::default().storage_key(), "postmortem-form:v1:-:new");
    }
}
