//! `completions SHELL` and `man`: shell completion scripts (`clap_complete`) and the roff man
//! page (`clap_mangen`), both generated from the same `clap` definition as the parser, so they
//! list exactly the subcommands and flags the binary accepts.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use clap_complete::Shell;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `upi-conformance.1` and one `upi-conformance-SUBCOMMAND.1` page per subcommand
    /// (the pages the main one refers to) into this directory instead of printing the main page.
    #[arg(long = "output", alias = "out", value_name = "DIR")]
    out: Option<PathBuf>,
}

/// The `--version` text: the crate version and the commit it was built from (`build.rs`;
/// `unknown` outside git).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("UPI_CONFORMANCE_COMMIT"),
    ")"
);

/// The name the scripts complete and the man page documents.
const BIN: &str = "upi-conformance";

/// Writes the completion script for `args.shell` to standard output.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let script = completion_script(args.shell);
    write_stdout(&script)
}

/// Writes the main man page (roff) to standard output, or every page into `--out`.
pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let Some(dir) = &args.out else {
        return write_stdout(&man_page()?);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    clap_mangen::generate_to(super::help::command(), dir)
        .with_context(|| format!("writing the man pages into {}", dir.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn completion_script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::help::command(), BIN, &mut out);
    out
}

fn man_page() -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::help::command())
        .render(&mut out)
        .context("rendering the man page")?;
    Ok(out)
}

/// Standard output, where a closed pipe (`| head`) ends the command quietly, like `outln!`.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to standard output"),
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subcommand names the parser accepts, from the same definition.
    fn subcommands() -> Vec<String> {
        super::super::help::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect()
    }

    #[test]
    fn every_shell_script_completes_every_subcommand() {
        let names = subcommands();
        assert!(names.iter().any(|n| n == "run") && names.iter().any(|n| n == "completions"));
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell] {
            let script = String::from_utf8(completion_script(shell)).expect("UTF-8 script");
            for name in &names {
                assert!(script.contains(name.as_str()), "{shell}: no completion for {name}");
            }
        }
        let bash = String::from_utf8(completion_script(Shell::Bash)).expect("UTF-8");
        assert!(
            bash.contains("complete -F"),
            "bash script registers no completion function"
        );
        assert!(bash.contains("--suite"), "bash script lacks the flags of `run`");
    }

    #[test]
    fn man_page_is_roff_naming_every_subcommand() {
        let page = String::from_utf8(man_page().expect("renders")).expect("UTF-8");
        assert!(page.contains(".TH upi-conformance 1"), "no title header:\n{page}");
        assert!(page.contains(".SH SUBCOMMANDS"), "no SUBCOMMANDS section");
        for name in subcommands() {
            // roff escapes every hyphen, the subcommand's own too (`tpap\-shim`).
            let roff = name.replace('-', "\\-");
            assert!(page.contains(&format!("upi\\-conformance\\-{roff}(1)")), "no {name}");
        }
    }

    #[test]
    fn man_out_writes_every_page_the_main_page_refers_to() {
        let dir = std::env::temp_dir().join(format!("upi-man-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let args = ManArgs { out: Some(dir.clone()) };
        assert_eq!(man(&args).expect("writes"), ExitCode::SUCCESS);
        let mut expected: Vec<String> = subcommands().iter().map(|n| format!("upi-conformance-{n}.1")).collect();
        expected.push("upi-conformance.1".to_owned());
        for file in &expected {
            let page = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(page.contains(".TH upi-conformance"), "{file} missing or not roff");
        }
        let run = std::fs::read_to_string(dir.join("upi-conformance-run.1")).expect("run page");
        assert!(run.contains("\\-\\-suite"), "the run page lacks its --suite flag");
        std::fs::remove_dir_all(&dir).expect("cleans up");
    }
}
