//! Running the binary on hostile inputs: a watchdog bounds every run's wall time, and the
//! child's peak RSS is read from `/proc/PID/status` while it runs (where there is one).

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest any hostile run may take.
pub const WALL_LIMIT: Duration = Duration::from_secs(120);

/// What a run produced.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// Peak RSS in kB (`VmHWM`), when `/proc` has it.
    pub peak_rss_kb: Option<u64>,
}

impl Run {
    /// stdout and stderr together.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs `upi-conformance ARGS` in `dir` with `stdin`, killing it past [`WALL_LIMIT`].
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let pid = child.id();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // A child that exits before reading makes this a broken pipe: not a failure.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut s);
        s
    });
    let mut peak = None;
    let status = loop {
        if let Some(kb) = vm_hwm(pid) {
            peak = Some(peak.unwrap_or(0).max(kb));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > WALL_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("upi-conformance {args:?} ran longer than {WALL_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        wall: started.elapsed(),
        peak_rss_kb: peak,
    }
}

/// [`run_in`] in the workspace root.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    run_in(&root(), args, stdin)
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A golden key file.
pub fn key(name: &str) -> String {
    root().join("golden/keys").join(name).display().to_string()
}

/// A fresh empty directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A 2048-bit RSA key pair with public exponent 3 (`openssl genpkey ... rsa_keygen_pubexp:3`).
pub const EXPONENT_3_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MIIBIDANBgkqhkiG9w0BAQEFAAOCAQ0AMIIBCAKCAQEArT/IcuEp8Lw6Wu3+pg2a
KgoH2a5waZrB4tRZPa3ocVKx8cTLH1ASi+tqoGtKIZHBbmkB2TBFeuFMJoi1NvAs
2z0UqIT/Mh8qx/PJfwxoQJFxnkHinMKsegqr0JqRACMqFmDH0mskYuKHisazl1cd
UgnJOx4ifLUep5uF51zg7qDQIivlHA6eESRM/OMLoi6dCECOwNHz41Nhm6hVK6j0
sLcR8hKaT1aVFexiy2JjZw/GEZHeV+OF5z3eg6pvwCYbti97VsD+Oj/fiD2JiZVE
hfX0RICprgPSX81fFO6t3MRnXAg/hMk6F+p5GFdniiR1cjIuY4XqwbW0xO4UMNsu
vwIBAw==
-----END PUBLIC KEY-----
";
