//! `action/install.sh` as the composite action runs it, against a release
//! served on loopback: the binary cargo built for these tests is the
//! release asset, a copy of the action directory names its sha256, and
//! the script gets the environment `action.yml` and the runner give it.
//!
//! Proves: the verified asset installs and runs; a tampered asset, a
//! missing asset, a checkout without checksums and an unsupported runner
//! are refused with one `::error` sentence that says what to do, leaving
//! nothing installed; plain http is taken from loopback only; and
//! `install: source` reuses the build cached under its key instead of
//! running cargo.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

const VERSION: &str = "9.8.7";
const BIN: &str = env!("CARGO_BIN_EXE_postmortem-action");
const TITLE: &str = "::error title=postmortem-action install::";

/// This machine as the runner names it, and the release target for it.
fn runner() -> (&'static str, &'static str, &'static str) {
    let os = if cfg!(target_os = "macos") {
        "macOS"
    } else {
        "Linux"
    };
    let arch = if cfg!(target_arch = "aarch64") {
        "ARM64"
    } else {
        "X64"
    };
    let target = match (os, arch) {
        ("Linux", "X64") => "x86_64-unknown-linux-musl",
        ("Linux", _) => "aarch64-unknown-linux-musl",
        ("macOS", "X64") => "x86_64-apple-darwin",
        _ => "aarch64-apple-darwin",
    };
    (os, arch, target)
}

fn asset() -> String {
    format!("postmortem-action-{}", runner().2)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A release folder served over HTTP on 127.0.0.1: `GET /<path>` answers
/// the file at `<root>/<path>`, or 404. Every request path is logged.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // The headers, up to the blank line.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                seen.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let body = if path.contains("..") {
                    None
                } else {
                    std::fs::read(&file).ok()
                };
                let (status, body) = match body {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", b"Not Found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        Server { base, log }
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

/// One runner: a temporary directory with a copy of the action, the
/// runner's temp dir, GITHUB_ENV and GITHUB_OUTPUT files, and a release
/// folder served on loopback.
struct Runner {
    tmp: tempfile::TempDir,
    server: Server,
    env: BTreeMap<String, String>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The one `::error` line, checked to be one sentence.
    fn error(&self) -> String {
        let errors: Vec<&str> = self
            .stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .collect();
        assert_eq!(errors.len(), 1, "one ::error line:\n{}", self.stdout);
        let message = errors[0]
            .strip_prefix(TITLE)
            .unwrap_or_else(|| panic!("titled {TITLE}: {}", errors[0]));
        assert!(
            message.ends_with('.') && !message.trim_end_matches('.').contains(". "),
            "one sentence: {message}"
        );
        message.to_owned()
    }
}

impl Runner {
    fn new() -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let action = root.join("repo/action");
        std::fs::create_dir_all(action.join("dist")).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        for f in ["install.sh", "action.yml"] {
            std::fs::copy(src.join(f), action.join(f)).unwrap();
        }
        std::fs::create_dir_all(root.join("runner-temp")).unwrap();
        std::fs::write(root.join("github_env"), "").unwrap();
        std::fs::write(root.join("github_output"), "").unwrap();
        std::fs::create_dir_all(root.join(format!("releases/action-v{VERSION}"))).unwrap();
        let server = Server::start(root.join("releases"));

        let (os, arch, _) = runner();
        let mut env = BTreeMap::new();
        for (k, v) in [
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", root.display().to_string()),
            ("RUNNER_OS", os.into()),
            ("RUNNER_ARCH", arch.into()),
            (
                "RUNNER_TEMP",
                root.join("runner-temp").display().to_string(),
            ),
            ("GITHUB_ENV", root.join("github_env").display().to_string()),
            (
                "GITHUB_OUTPUT",
                root.join("github_output").display().to_string(),
            ),
            ("POSTMORTEM_ACTION_DIR", action.display().to_string()),
            ("POSTMORTEM_ACTION_VERSION", VERSION.into()),
            ("POSTMORTEM_ACTION_INSTALL", "binary".into()),
            ("POSTMORTEM_ACTION_RELEASES", server.base.clone()),
            (
                "POSTMORTEM_ACTION_CACHE_DIR",
                root.join("runner-temp/postmortem-action-source")
                    .display()
                    .to_string(),
            ),
        ] {
            env.insert(k.to_owned(), v);
        }
        Runner { tmp, server, env }
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    fn action(&self) -> PathBuf {
        self.root().join("repo/action")
    }

    fn set(&mut self, k: &str, v: &str) -> &mut Self {
        self.env.insert(k.to_owned(), v.to_owned());
        self
    }

    /// Publishes `bytes` as this runner's asset of the release.
    fn publish(&self, bytes: &[u8]) {
        let path = self
            .root()
            .join(format!("releases/action-v{VERSION}/{}", asset()));
        std::fs::write(path, bytes).unwrap();
    }

    /// Writes the action's dist/checksums.sha256.
    fn checksums(&self, text: &str) {
        std::fs::write(self.action().join("dist/checksums.sha256"), text).unwrap();
    }

    /// A release commit's checksums.sha256: every asset, this one's sha256
    /// (returned).
    fn pin(&self, bytes: &[u8]) -> String {
        let pinned = sha256(bytes);
        let mut text = String::from("# written by the release workflow\n");
        for t in [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc.exe",
        ] {
            let a = format!("postmortem-action-{t}");
            let sum = if a == asset() {
                pinned.clone()
            } else {
                sha256(a.as_bytes())
            };
            text.push_str(&format!("{sum}  {a}\n"));
        }
        self.checksums(&text);
        pinned
    }

    fn install(&self, args: &[&str]) -> Run {
        let out = Command::new("bash")
            .arg(self.action().join("install.sh"))
            .args(args)
            .env_clear()
            .envs(&self.env)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn github_env(&self) -> String {
        std::fs::read_to_string(self.root().join("github_env")).unwrap()
    }

    /// Every file under the runner's temp dir (what is left installed).
    fn temp_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root().join("runner-temp"), &mut out);
        out
    }

    /// Nothing installed, nothing exported.
    fn assert_nothing_installed(&self) {
        assert_eq!(self.github_env(), "", "GITHUB_ENV must stay empty");
        assert_eq!(self.temp_files(), Vec::<PathBuf>::new(), "files left");
    }
}

/// The binary cargo built for these tests: the asset where it must run.
fn real_binary() -> Vec<u8> {
    std::fs::read(BIN).unwrap()
}

/// A small asset where none is downloaded or run.
const SMALL: &[u8] = b"#!/bin/sh\nexit 0\n";

#[test]
fn the_verified_asset_installs_is_exported_and_runs() {
    let r = Runner::new();
    let bytes = real_binary();
    r.publish(&bytes);
    let pinned = r.pin(&bytes);

    let run = r.install(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert_eq!(
        r.server.requests(),
        [format!("/action-v{VERSION}/{}", asset())]
    );

    let env = r.github_env();
    let bin = env
        .lines()
        .find_map(|l| l.strip_prefix("POSTMORTEM_ACTION_BIN="))
        .unwrap_or_else(|| panic!("GITHUB_ENV: {env:?}"));
    assert!(Path::new(bin).starts_with(r.root().join("runner-temp")));
    assert_eq!(std::fs::read(bin).unwrap(), bytes);
    assert!(run.stdout.contains(&pinned), "{}", run.stdout);

    // The installed binary runs: a dry `check` over no fix issues.
    let state = r.root().join("state.json");
    std::fs::write(&state, "[]").unwrap();
    let out = Command::new(bin)
        .args(["--dry-run", "--state"])
        .arg(&state)
        .env_clear()
        .env("INPUT_MODE", "check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_tampered_asset_is_refused_not_run_and_nothing_is_installed() {
    let r = Runner::new();
    let mut tampered = real_binary();
    let pinned = r.pin(&tampered);
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    r.publish(&tampered);

    let run = r.install(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let e = run.error();
    assert!(e.contains(&asset()), "{e}");
    assert!(e.contains("sha256"), "{e}");
    assert!(e.contains(&sha256(&tampered)) && e.contains(&pinned), "{e}");
    assert!(e.contains("differs"), "{e}");
    assert!(e.contains("not run"), "{e}");
    r.assert_nothing_installed();
}

#[test]
fn a_missing_asset_names_the_url_and_the_fix() {
    let r = Runner::new();
    r.pin(SMALL);

    let run = r.install(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let e = run.error();
    let url = format!("{}/action-v{VERSION}/{}", r.server.base, asset());
    assert!(e.contains(&url), "{e}");
    assert!(e.contains("404"), "{e}");
    assert!(
        e.contains("action-vX.Y.Z") && e.contains("install: source"),
        "{e}"
    );
    r.assert_nothing_installed();
}

#[test]
fn a_checkout_that_is_not_a_release_says_what_to_pin() {
    let r = Runner::new();
    // The file as main carries it: its comment lines only (a release
    // commit's adds a line per asset).
    let main: String = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/checksums.sha256"),
    )
    .unwrap()
    .lines()
    .filter(|l| l.starts_with('#'))
    .map(|l| format!("{l}\n"))
    .collect();
    r.checksums(&main);
    r.publish(SMALL);

    let run = r.install(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let e = run.error();
    assert!(e.contains("not a release"), "{e}");
    assert!(
        e.contains("action-vX.Y.Z") && e.contains("commit SHA") && e.contains("install: source"),
        "{e}"
    );
    assert_eq!(r.server.requests(), Vec::<String>::new(), "nothing fetched");
    r.assert_nothing_installed();

    // Checksums, but none for this runner's asset.
    r.checksums(&format!("{}  postmortem-action-other\n", sha256(b"x")));
    let run = r.install(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let e = run.error();
    assert!(e.contains(&asset()), "{e}");
    assert!(
        e.contains("action-vX.Y.Z") && e.contains("install: source"),
        "{e}"
    );
    r.assert_nothing_installed();
}

#[test]
fn an_unsupported_runner_names_the_fix() {
    for (os, arch) in [("Linux", "ARM"), ("FreeBSD", "X64"), ("Windows", "ARM64")] {
        let mut r = Runner::new();
        r.publish(SMALL);
        r.pin(SMALL);
        r.set("RUNNER_OS", os).set("RUNNER_ARCH", arch);
        let run = r.install(&[]);
        assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
        let e = run.error();
        assert!(e.contains(os) && e.contains(arch), "{e}");
        assert!(e.contains("install: source"), "{e}");
        assert_eq!(r.server.requests(), Vec::<String>::new(), "nothing fetched");
        r.assert_nothing_installed();
    }
}

#[test]
fn plain_http_is_taken_from_loopback_only() {
    for base in [
        "http://example.com/releases",
        "http://127.0.0.1.example.com/releases",
        "http://127.0.0.1:80@example.com/releases",
        "ftp://127.0.0.1/releases",
    ] {
        let mut r = Runner::new();
        r.publish(SMALL);
        r.pin(SMALL);
        r.set("POSTMORTEM_ACTION_RELEASES", base);
        let run = r.install(&[]);
        assert_eq!(run.code, 1, "{base}: {}\n{}", run.stdout, run.stderr);
        let e = run.error();
        assert!(e.contains("https"), "{e}");
        r.assert_nothing_installed();
    }
}

/// A fake workspace around the action for `install: source`, with `cargo`
/// and `rustc` stand-ins: rustc prints a fixed version, cargo records that
/// it ran and fails.
fn source_runner() -> Runner {
    let mut r = Runner::new();
    let repo = r.root().join("repo");
    std::fs::write(
        repo.join("Cargo.toml"),
        "[workspace]\nmembers = [\"crates/*\", \"action\"]\n",
    )
    .unwrap();
    std::fs::write(repo.join("Cargo.lock"), "version = 4\n").unwrap();
    std::fs::create_dir_all(repo.join("crates/core/src")).unwrap();
    std::fs::write(repo.join("crates/core/src/lib.rs"), "//! core\n").unwrap();
    std::fs::create_dir_all(repo.join("action/src")).unwrap();
    std::fs::write(repo.join("action/src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::create_dir_all(repo.join("action/tests")).unwrap();
    std::fs::write(repo.join("action/tests/t.rs"), "// a test\n").unwrap();

    let shims = r.root().join("shims");
    std::fs::create_dir_all(&shims).unwrap();
    let marker = r.root().join("cargo-ran");
    let script = |name: &str, body: String| {
        let p = shims.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(
        "rustc",
        "printf 'rustc 1.95.0 (59807616e 2026-04-14)\\nbinary: rustc\\ncommit-hash: 59807616e1fa2540724bfbac14d7976d7e4a3860\\nhost: x86_64-unknown-linux-gnu\\nrelease: 1.95.0\\n'".into(),
    );
    script(
        "cargo",
        format!(
            "echo \"$@\" >>'{}'; echo 'error: the cargo stand-in' >&2; exit 101",
            marker.display()
        ),
    );
    let path = format!("{}:{}", shims.display(), r.env["PATH"]);
    r.set("PATH", &path)
        .set("POSTMORTEM_ACTION_INSTALL", "source");
    r
}

fn key(r: &Runner) -> String {
    let run = r.install(&["source-key"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run.stdout.trim().to_owned()
}

#[test]
fn the_source_build_key_follows_the_sources_and_the_runner() {
    let mut r = source_runner();
    let k = key(&r);
    assert!(
        k.starts_with(&format!(
            "postmortem-action-source-v{VERSION}-{}-{}-rustc1.95.0-59807616e1fa-",
            runner().0,
            runner().1
        )),
        "{k}"
    );
    let output = std::fs::read_to_string(r.root().join("github_output")).unwrap();
    assert_eq!(output, format!("key={k}\n"));
    assert_eq!(key(&r), k, "the same inputs give the same key");

    // A test does not go into the binary; a source file, the lock file and
    // the runner do.
    let repo = r.root().join("repo");
    std::fs::write(repo.join("action/tests/t.rs"), "// changed\n").unwrap();
    assert_eq!(key(&r), k);
    std::fs::write(repo.join("crates/core/src/lib.rs"), "//! changed\n").unwrap();
    let k2 = key(&r);
    assert_ne!(k2, k);
    std::fs::write(repo.join("Cargo.lock"), "version = 4\n# changed\n").unwrap();
    let k3 = key(&r);
    assert_ne!(k3, k2);
    r.set("RUNNER_ARCH", "ARM64");
    assert_ne!(key(&r), k3);
}

#[test]
fn install_source_uses_the_cached_build_of_its_key_without_cargo() {
    let r = source_runner();
    let k = key(&r);
    let cache = PathBuf::from(&r.env["POSTMORTEM_ACTION_CACHE_DIR"]);
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::copy(BIN, cache.join("postmortem-action")).unwrap();
    std::fs::write(cache.join("key"), format!("{k}\n")).unwrap();

    let run = r.install(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!r.root().join("cargo-ran").exists(), "cargo must not run");
    assert_eq!(
        r.github_env(),
        format!(
            "POSTMORTEM_ACTION_BIN={}\n",
            cache.join("postmortem-action").display()
        )
    );

    // A build cached under another key is not used: cargo builds.
    std::fs::write(cache.join("key"), "postmortem-action-source-other\n").unwrap();
    std::fs::write(r.root().join("github_env"), "").unwrap();
    let run = r.install(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let ran = std::fs::read_to_string(r.root().join("cargo-ran")).unwrap();
    assert!(
        ran.contains("build --locked --release -p postmortem-action"),
        "{ran}"
    );
    assert!(run.error().contains("cargo build"), "{}", run.stdout);
    assert_eq!(r.github_env(), "");
}

#[test]
fn main_pins_the_workspace_version_and_well_formed_checksums() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yml = std::fs::read_to_string(dir.join("action.yml")).unwrap();
    let pins: Vec<&str> = yml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("POSTMORTEM_ACTION_VERSION: "))
        .collect();
    assert!(!pins.is_empty());
    for p in pins {
        assert_eq!(
            p,
            format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            "action.yml"
        );
    }
    // Comment lines only (main), or one line per asset (a release commit).
    let sums = std::fs::read_to_string(dir.join("dist/checksums.sha256")).unwrap();
    for line in sums
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (sum, name) = line.split_once("  ").unwrap_or(("", ""));
        assert!(
            sum.len() == 64 && sum.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
        assert!(name.starts_with("postmortem-action-"), "{line}");
    }
}
