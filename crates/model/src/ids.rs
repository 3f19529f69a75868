//! Validated names that come from people and end up in branch names, URLs,
//! file paths and GitHub requests. Each is parsed once at the edge (JSON,
//! front matter, a form field) and cannot hold an invalid value afterwards.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a name was refused: one sentence saying what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidName {
    /// What kind of name it was meant to be, e.g. "incident id".
    pub kind: &'static str,
    /// The refused text.
    pub value: String,
    /// What a valid value looks like.
    pub expected: &'static str,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {}: expected {}",
            self.value, self.kind, self.expected
        )
    }
}

impl std::error::Error for InvalidName {}

macro_rules! validated_name {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $expected:literal, $check:expr, $pattern:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The sentence that says what a valid value looks like.
            pub const EXPECTED: &'static str = $expected;
        }

        impl TryFrom<String> for $name {
            type Error = InvalidName;
            fn try_from(value: String) -> Result<Self, InvalidName> {
                let check: fn(&str) -> bool = $check;
                if check(&value) {
                    Ok(Self(value))
                } else {
                    Err(InvalidName { kind: $kind, value, expected: $expected })
                }
            }
        }

        impl FromStr for $name {
            type Err = InvalidName;
            fn from_str(s: &str) -> Result<Self, InvalidName> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $expected,
                })
            }
        }
    };
}

validated_name!(
    /// The incident's identifier, e.g. `INC-2026-0142`. It names the branch
    /// (`postmortem/<id>`) and the document, so it is restricted to a safe
    /// alphabet.
    IncidentId,
    "incident id",
    "1 to 64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. INC-2026-0142)",
    |s| {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
            && s.len() <= 64
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && !s.contains("..")
    },
    "^[A-Za-z0-9](?!.*\\.\\.)[A-Za-z0-9._-]{0,63}$"
);

validated_name!(
    /// A GitHub user login, e.g. `octocat` (no leading `@`).
    Login,
    "GitHub login",
    "a GitHub login: 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen, without '@' (e.g. octocat)",
    |s| {
        !s.is_empty()
            && s.len() <= 39
            && !s.starts_with('-')
            && !s.ends_with('-')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    },
    "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$"
);

validated_name!(
    /// A service name as the organisation spells it, e.g. `queue-render`.
    ServiceName,
    "service name",
    "1 to 64 characters of letters, digits, '.', '_', '/' or '-' (e.g. queue-render)",
    |s| {
        !s.is_empty()
            && s.len() <= 64
            && s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
    },
    "^[A-Za-z0-9._/-]{1,64}$"
);

validated_name!(
    /// A file inside the repository, e.g. `runbooks/RB-021.md`. Relative,
    /// normalised, with no `..`, no absolute or drive paths, no backslashes
    /// and nothing under `.github/`, so a document can never point a tool
    /// outside the places postmortems are allowed to touch.
    RepoPath,
    "repository path",
    "a relative path inside the repository such as runbooks/RB-021.md: '/'-separated, no '..', '.' or empty segments, no leading '/', no backslash, not under .github/",
    |s| {
        !s.is_empty()
            && s.len() <= 255
            && !s.starts_with('/')
            && !s.contains('\\')
            && !s.contains(':')
            && !s.chars().any(char::is_control)
            && s.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != ".." && seg.trim() == seg)
            && !s.split('/').next().is_some_and(|first| first.eq_ignore_ascii_case(".github"))
    },
    "^(?!\\.github/)(?!/)[^\\\\:]+$"
);

impl RepoPath {
    /// The folder that holds this file, if any (`runbooks` for
    /// `runbooks/RB-021.md`).
    pub fn parent(&self) -> Option<&str> {
        self.0.rsplit_once('/').map(|(dir, _)| dir)
    }

    /// The file name without its folder.
    pub fn file_name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }
}

/// Someone who must read the postmortem: a GitHub user (`alice`) or a team
/// (`acme/leadership`). Written without `@` so that echoing it never
/// notifies anyone by accident.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Reader {
    /// A single GitHub user.
    User(Login),
    /// A team, as organisation and team slug.
    Team {
        /// The organisation's login.
        org: Login,
        /// The team's slug.
        team: String,
    },
}

impl Reader {
    /// What a valid reader looks like.
    pub const EXPECTED: &'static str =
        "a GitHub login (alice) or an organisation team (acme/leadership), without '@'";
}

impl TryFrom<String> for Reader {
    type Error = InvalidName;
    fn try_from(value: String) -> Result<Self, InvalidName> {
        let invalid = || InvalidName {
            kind: "reader",
            value: value.clone(),
            expected: Reader::EXPECTED,
        };
        match value.split_once('/') {
            None => Login::try_from(value.clone())
                .map(Reader::User)
                .map_err(|_| invalid()),
            Some((org, team)) => {
                let org = Login::try_from(org.to_owned()).map_err(|_| invalid())?;
                let team_ok = !team.is_empty()
                    && team.len() <= 100
                    && team
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
                if team_ok {
                    Ok(Reader::Team {
                        org,
                        team: team.to_owned(),
                    })
                } else {
                    Err(invalid())
                }
            }
        }
    }
}

impl FromStr for Reader {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        Self::try_from(s.to_owned())
    }
}

impl From<Reader> for String {
    fn from(value: Reader) -> String {
        value.to_string()
    }
}

impl fmt::Display for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reader::User(login) => write!(f, "{login}"),
            Reader::Team { org, team } => write!(f, "{org}/{team}"),
        }
    }
}

impl JsonSchema for Reader {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Reader".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:/[A-Za-z0-9_-]{1,100})?$",
            "description": Reader::EXPECTED,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_ids_are_branch_safe() {
        assert!("INC-2026-0142".parse::<IncidentId>().is_ok());
        assert!("2026.05.20_queue".parse::<IncidentId>().is_ok());
        for bad in ["", "-x", "a b", "a/b", "a..b", "ü", &"x".repeat(65)] {
            assert!(bad.parse::<IncidentId>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn logins_follow_github_rules() {
        assert!("octocat".parse::<Login>().is_ok());
        assert!("senior-dev".parse::<Login>().is_ok());
        for bad in ["", "@octocat", "-a", "a-", "a_b", &"a".repeat(40)] {
            assert!(bad.parse::<Login>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn repo_paths_are_confined_to_the_repository() {
        assert!("runbooks/RB-021.md".parse::<RepoPath>().is_ok());
        assert!("docs/adr/0007-cache.md".parse::<RepoPath>().is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../secrets",
            "runbooks/../../x",
            "runbooks/./x",
            "runbooks//x",
            ".github/workflows/evil.yml",
            ".GitHub/workflows/evil.yml",
            "C:/x",
            "a\\b",
            "a\nb",
        ] {
            assert!(bad.parse::<RepoPath>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn repo_path_parts() {
        let p: RepoPath = "runbooks/RB-021.md".parse().unwrap();
        assert_eq!(p.parent(), Some("runbooks"));
        assert_eq!(p.file_name(), "RB-021.md");
        let top: RepoPath = "README.md".parse().unwrap();
        assert_eq!(top.parent(), None);
    }

    #[test]
    fn readers_are_users_or_teams() {
        assert_eq!(
            "alice".parse::<Reader>().unwrap(),
            Reader::User("alice".parse().unwrap())
        );
        let team: Reader = "acme/leadership".parse().unwrap();
        assert_eq!(team.to_string(), "acme/leadership");
        for bad in ["@alice", "acme/", "/x", "acme/lead ership", "a/b/c"] {
            assert!(bad.parse::<Reader>().is_err(), "{bad:?} accepted");
        }
    }
}
