//! A client driven by a command (`client-test --merchant-stack-cmd 'CMD ARGS'`): per case the
//! command runs once, the trigger JSON on its standard input; exit status 0 means the client
//! accepted the answer, any other status that it refused it. Its standard output (the first
//! [`KEEP`] characters) is kept in the report; its standard error passes through untouched, as
//! with the TPAP shim. The words are split like a shell splits them (`shell-words`), but no
//! shell runs them.

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The most characters of standard output kept.
pub const KEEP: usize = 2000;
/// The most bytes of standard output read (the rest is drained).
const READ: u64 = 64 * 1024;

/// How a run of the command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The exit code (`None`: ended by a signal).
    pub code: Option<i32>,
    /// The start of its standard output.
    pub stdout: String,
}

impl Ran {
    /// Whether the client accepted the answer (exit status 0).
    pub fn accepted(&self) -> bool {
        self.code == Some(0)
    }
}

/// Splits `line` into words as a shell would (quotes work); an empty line or an unbalanced
/// quote is an error.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let words = shell_words::split(line).map_err(|e| format!("{line:?}: {e}"))?;
    if words.is_empty() {
        return Err("the command is empty".into());
    }
    Ok(words)
}

/// Runs `argv` with `input` on its standard input, waiting at most `timeout` (then it is
/// killed); an error says why it did not finish.
pub async fn run(argv: Vec<String>, input: String, timeout: Duration) -> Result<Ran, String> {
    tokio::task::spawn_blocking(move || run_blocking(&argv, &input, timeout))
        .await
        .map_err(|e| format!("the command's runner failed: {e}"))?
}

fn run_blocking(argv: &[String], input: &str, timeout: Duration) -> Result<Ran, String> {
    let (program, args) = argv.split_first().ok_or("the command is empty")?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {program:?}: {e}"))?;
    // Written and read on threads, so a command that neither reads its input nor stops writing
    // cannot block the wait below.
    let stdin = child.stdin.take();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A command that exits without reading its input is not an error here.
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut stdout) = stdout {
            let _ = (&mut stdout).take(READ).read_to_end(&mut kept);
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        }
        kept
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                // Killed and reaped; the threads end with the pipes.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the command did not finish within {} ms (--timeout-ms); it was killed",
                    timeout.as_millis()
                ));
            }
            Err(e) => return Err(format!("waiting for the command: {e}")),
        }
    };
    let _ = writer.join();
    let kept = reader.join().unwrap_or_default();
    Ok(Ran {
        code: status.code(),
        stdout: String::from_utf8_lossy(&kept).chars().take(KEEP).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[tokio::test]
    async fn exit_status_stdout_input_timeout_and_bad_commands() {
        let t = Duration::from_secs(10);
        let ran = run(sh("cat; exit 0"), "{\"a\":1}".into(), t).await.unwrap();
        assert!(ran.accepted());
        assert_eq!(ran.stdout, "{\"a\":1}");
        let ran = run(sh("echo refused; exit 3"), String::new(), t).await.unwrap();
        assert!(!ran.accepted());
        assert_eq!((ran.code, ran.stdout.as_str()), (Some(3), "refused\n"));
        // A command that never reads its input nor ends is killed at the timeout.
        let e = run(sh("exec sleep 30"), "x".repeat(1 << 20), Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(e.contains("did not finish"), "{e}");
        let e = run(vec!["/nonexistent/client".into()], String::new(), t)
            .await
            .unwrap_err();
        assert!(e.contains("cannot start"), "{e}");
        assert_eq!(split("curl -sS 'a b'").unwrap(), vec!["curl", "-sS", "a b"]);
        assert!(split("curl 'open").is_err());
        assert!(split("   ").is_err());
    }
}
