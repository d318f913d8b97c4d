//! `credential_process`: credentials printed by an external command.

use std::process::Stdio;
use std::time::Duration;

use async_trait::async_trait;
use botocraft_core::Result;

use super::{Credentials, CredentialsLookup, ProvideCredentials};

/// How much of the command's stderr goes into an error message.
const STDERR_LIMIT: usize = 1000;

/// Runs a command and reads credentials from its standard output.
///
/// The command line is split into a program and its arguments by
/// [`split_command`] and run directly, without a shell (no variable
/// expansion, globbing, pipes or `~`). It inherits the process environment,
/// gets no standard input, and must print within the time limit (default
/// 60 s; it is killed after that)
///
/// ```json
/// {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
///  "SessionToken": "...", "Expiration": "2024-01-01T00:00:00Z"}
/// ```
///
/// (`SessionToken` and `Expiration` optional). A non-zero exit status is an
/// error that quotes the start of its stderr; stdout is never quoted.
#[derive(Debug, Clone)]
pub struct CredentialProcessProvider {
    command: String,
    timeout: Duration,
}

impl CredentialProcessProvider {
    /// Runs `command` (a `credential_process` value) with a 60 s limit.
    pub fn new(command: impl Into<String>) -> Self {
        CredentialProcessProvider {
            command: command.into(),
            timeout: Duration::from_secs(60),
        }
    }

    /// The time limit.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    pub(crate) async fn run(&self) -> std::result::Result<Credentials, String> {
        let argv = split_command(&self.command)
            .map_err(|m| format!("cannot parse credential_process: {m}"))?;
        let Some((program, args)) = argv.split_first() else {
            return Err("credential_process is empty".into());
        };
        let child = tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start credential_process {program:?}: {e}"))?;
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => return Err(format!("credential_process {program:?} failed: {e}")),
            // Dropping the future drops the child, which kills it.
            Err(_) => {
                return Err(format!(
                    "credential_process {program:?} did not finish within {:?}",
                    self.timeout
                ))
            }
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let mut stderr: String = stderr.trim().chars().take(STDERR_LIMIT).collect();
            if stderr.is_empty() {
                stderr = "<no stderr>".into();
            }
            return Err(format!(
                "credential_process {program:?} exited with {}: {stderr}",
                output.status
            ));
        }
        parse_output(&output.stdout)
            .map_err(|m| format!("credential_process {program:?} printed invalid credentials: {m}"))
    }
}

/// Parses the JSON a credential process prints. Messages name fields, never
/// their values.
fn parse_output(stdout: &[u8]) -> std::result::Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_slice(stdout)
        .map_err(|e| format!("not valid JSON (line {}, column {})", e.line(), e.column()))?;
    match value.get("Version") {
        Some(v) if v.as_u64() == Some(1) => {}
        Some(_) => return Err("`Version` must be 1".into()),
        None => return Err("`Version` is missing".into()),
    }
    super::credentials_from_json(stdout, "SessionToken")
}

/// Splits a `credential_process` command line into words the way the AWS
/// CLI does on POSIX systems (Python's `shlex.split`, POSIX mode), on every
/// platform:
///
/// * unquoted whitespace separates words;
/// * `'...'` keeps everything literally;
/// * `"..."` keeps everything literally except `\"` and `\\`;
/// * outside quotes `\` makes the next character literal;
/// * quotes can join parts of one word (`a"b c"d` is `ab cd`); `''` is an
///   empty word.
///
/// An unterminated quote or a trailing `\` is an error.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport as transport; }
/// use botocraft::transport::credentials::split_command;
/// assert_eq!(
///     split_command(r#"/opt/bin/creds --profile "my dev" 'a b' c\ d"#).unwrap(),
///     ["/opt/bin/creds", "--profile", "my dev", "a b", "c d"]
/// );
/// ```
pub fn split_command(command: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&next @ ('"' | '\\')) => {
                                word.push(next);
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        Some(c) => word.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("trailing backslash".into()),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[async_trait]
impl ProvideCredentials for CredentialProcessProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup_credentials()
            .await
            .into_result("credential_process")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        match self.run().await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        let ok: &[(&str, &[&str])] = &[
            ("a b  c", &["a", "b", "c"]),
            ("  a\tb\n", &["a", "b"]),
            (r#""x y" 'z w'"#, &["x y", "z w"]),
            (r#"a"b c"d"#, &["ab cd"]),
            (
                r#""q\"uote" "back\\slash" "keep\n""#,
                &["q\"uote", "back\\slash", "keep\\n"],
            ),
            (r"'no \escape'", &[r"no \escape"]),
            (r"a\ b \'c", &["a b", "'c"]),
            ("'' x", &["", "x"]),
            ("", &[]),
        ];
        for (input, expected) in ok {
            assert_eq!(split_command(input).unwrap(), *expected, "{input:?}");
        }
        for bad in ["'open", "\"open", "trailing\\"] {
            assert!(split_command(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn output_parsing() {
        let c = parse_output(
            br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id, "AK");
        assert_eq!(c.session_token.as_deref(), Some("T"));
        assert!(c.expiry.is_some());
        let err = parse_output(br#"{"Version":2,"AccessKeyId":"AK","SecretAccessKey":"SK"}"#)
            .unwrap_err();
        assert!(err.contains("Version"), "{err}");
        let err =
            parse_output(br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":7}"#).unwrap_err();
        assert!(
            err.contains("SecretAccessKey") && !err.contains('7'),
            "{err}"
        );
        let err = parse_output(b"SECRET not json").unwrap_err();
        assert!(
            err.contains("not valid JSON") && !err.contains("SECRET"),
            "{err}"
        );
    }
}
