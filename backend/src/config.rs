//! Command-line flags and environment variables.
//!
//! Every flag also has an environment variable; a flag wins over the
//! variable, which wins over the default. Plain `std::env` parsing keeps the
//! dependency list short.

use std::path::PathBuf;

pub const USAGE: &str = "\
Usage: reset-backend [OPTIONS]

Options (each also read from the environment variable in brackets):
  --addr HOST:PORT   address to listen on [ADDR] (default 127.0.0.1:8080; port 0 picks a free one)
  --db PATH          SQLite file, created and seeded on first start [DATABASE_PATH]
                     (default .demo-data/demo.sqlite)
  --www DIR          sample intranet page [WWW_DIR] (default www)
  --dist DIR         built widget, served under /static/reset-widget/ [DIST_DIR] (default dist)
  --test-mode        enable the /api/test/* endpoints [TEST_MODE=1] (never on by default)
  -h, --help         print this help

Environment only:
  SMTP_URL           e.g. smtp://localhost:2525: also send the real e-mail (default: outbox only)
  SMTP_FROM          sender address (default \"Contoso IT <it-noreply@contoso.com>\")
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: String,
    pub db_path: PathBuf,
    pub www_dir: PathBuf,
    pub dist_dir: PathBuf,
    pub test_mode: bool,
    pub smtp_url: Option<String>,
    pub smtp_from: Option<String>,
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Help,
}

impl Config {
    /// The configuration used by tests: everything explicit, nothing read
    /// from the process environment.
    pub fn for_paths(db_path: PathBuf, www_dir: PathBuf, dist_dir: PathBuf) -> Config {
        Config {
            addr: "127.0.0.1:0".to_owned(),
            db_path,
            www_dir,
            dist_dir,
            test_mode: false,
            smtp_url: None,
            smtp_from: None,
        }
    }

    /// Reads the real process arguments and environment.
    pub fn from_process() -> Result<Command, String> {
        Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// Parses `args` (without the program name), looking variables up with
    /// `env`. Kept separate from [`Config::from_process`] so it is testable.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, String> {
        let non_empty = |name: &str| env(name).filter(|value| !value.is_empty());
        let mut config = Config {
            addr: non_empty("ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            db_path: non_empty("DATABASE_PATH")
                .unwrap_or_else(|| ".demo-data/demo.sqlite".to_owned())
                .into(),
            www_dir: non_empty("WWW_DIR")
                .unwrap_or_else(|| "www".to_owned())
                .into(),
            dist_dir: non_empty("DIST_DIR")
                .unwrap_or_else(|| "dist".to_owned())
                .into(),
            test_mode: matches!(
                non_empty("TEST_MODE").as_deref(),
                Some("1" | "true" | "yes")
            ),
            smtp_url: non_empty("SMTP_URL"),
            smtp_from: non_empty("SMTP_FROM"),
        };

        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // Accept both `--flag value` and `--flag=value`.
            let (flag, inline_value) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline_value
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--addr" => config.addr = value()?,
                "--db" => config.db_path = value()?.into(),
                "--www" => config.www_dir = value()?.into(),
                "--dist" => config.dist_dir = value()?.into(),
                "--test-mode" if inline_value.is_none() => config.test_mode = true,
                "-h" | "--help" => return Ok(Command::Help),
                _ => return Err(format!("unknown argument {arg:?}\n\n{USAGE}")),
            }
        }
        Ok(Command::Run(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Command, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(args.iter().map(|a| a.to_string()), move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    fn run(args: &[&str], env: &[(&str, &str)]) -> Config {
        match parse(args, env).unwrap() {
            Command::Run(config) => config,
            Command::Help => panic!("unexpected help"),
        }
    }

    #[test]
    fn defaults_are_safe() {
        let config = run(&[], &[]);
        assert_eq!(config.addr, "127.0.0.1:8080");
        assert_eq!(config.db_path, PathBuf::from(".demo-data/demo.sqlite"));
        assert_eq!(config.www_dir, PathBuf::from("www"));
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        assert!(!config.test_mode, "test mode must never be on by default");
        assert_eq!(config.smtp_url, None);
    }

    #[test]
    fn env_then_flags() {
        let env = [
            ("ADDR", "0.0.0.0:9000"),
            ("TEST_MODE", "1"),
            ("DATABASE_PATH", "/tmp/x.sqlite"),
        ];
        let config = run(&["--addr", "127.0.0.1:0", "--www=site"], &env);
        assert_eq!(config.addr, "127.0.0.1:0");
        assert_eq!(config.www_dir, PathBuf::from("site"));
        assert_eq!(config.db_path, PathBuf::from("/tmp/x.sqlite"));
        assert!(config.test_mode);
        assert!(run(&["--test-mode"], &[]).test_mode);
        assert!(!run(&[], &[("TEST_MODE", "0")]).test_mode);
    }

    #[test]
    fn rejects_unknown_and_incomplete_flags() {
        assert!(parse(&["--port", "1"], &[]).is_err());
        assert!(parse(&["--addr"], &[]).is_err());
        assert_eq!(parse(&["--help"], &[]), Ok(Command::Help));
    }
}
