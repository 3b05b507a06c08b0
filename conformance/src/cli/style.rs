//! Terminal colours through `anstream`/`anstyle`: the run's text report gets coloured verdicts
//! and summary on standard output, and errors a red `error:`. `anstream` strips every style
//! when the stream is not a terminal or `NO_COLOR` is set (`CLICOLOR_FORCE=1` forces them), so
//! files, pipes and CI logs stay plain.

use std::io::Write as _;

use anstyle::{AnsiColor, Style};

const FAIL: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default();
const PASS: Style = AnsiColor::Green.on_default();
const NOTE: Style = Style::new().bold();

/// The style of a report line, from how it starts.
fn style_of(line: &str) -> Option<Style> {
    if line.starts_with("FAIL ") || line.starts_with("UNEXPECTED-PASS ") || line.starts_with("error:") {
        Some(FAIL)
    } else if line.starts_with("WARNING ") || line.starts_with("EXPECTED-FAILURE ") || line.starts_with("note:") {
        Some(WARN)
    } else if line.starts_with("conformance: ") {
        Some(if line.contains(" 0 failed") { PASS } else { FAIL })
    } else if line.starts_with("rules broken") {
        Some(NOTE)
    } else {
        None
    }
}

/// `text` with the verdict lines and the summary styled (ANSI escapes, stripped by
/// [`print_report`] where colours are off).
pub fn colorize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        match style_of(body) {
            Some(style) => out.push_str(&format!("{style}{body}{style:#}{newline}")),
            None => out.push_str(line),
        }
    }
    out
}

/// Prints a text report on standard output, coloured where colours are on; a closed pipe ends
/// the process quietly.
pub fn print_report(text: &str) {
    let mut stdout = anstream::stdout().lock();
    if let Err(e) = stdout
        .write_all(colorize(text).as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Two plain columns (name, description) as `comfy-table` lays them out: names padded to the
/// longest, two spaces, no borders, no trailing spaces.
pub fn two_columns<A: ToString, B: ToString>(rows: impl IntoIterator<Item = (A, B)>) -> String {
    columns(rows.into_iter().map(|(a, b)| vec![a.to_string(), b.to_string()]))
}

/// Plain columns as `comfy-table` lays them out: each column padded to its longest cell, two
/// spaces between columns, no borders, no trailing spaces.
pub fn columns(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    let mut width = 0;
    for row in rows {
        width = width.max(row.len());
        table.add_row(row);
    }
    for i in 0..width {
        if let Some(c) = table.column_mut(i) {
            c.set_padding((0, if i + 1 == width { 0 } else { 2 }));
        }
    }
    table
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints `error: MESSAGE` on standard error, the prefix red where colours are on.
pub fn print_error(message: &str) {
    anstream::eprintln!("{FAIL}error:{FAIL:#} {message}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_columns_pads_names_to_the_longest() {
        let text = super::two_columns([("a", "first"), ("longer", "second")]);
        assert_eq!(text, "a       first\nlonger  second");
    }

    #[test]
    fn verdicts_are_styled_and_other_lines_kept() {
        let text = "FAIL reject.x — t\n  rule [must]: m\nconformance: 0 passed, 1 failed, 0 skipped\n";
        let coloured = super::colorize(text);
        assert!(coloured.contains("\u{1b}[1m\u{1b}[31mFAIL reject.x"), "{coloured:?}");
        assert!(coloured.contains("\n  rule [must]: m\n"));
        let plain = anstream::adapter::strip_str(&coloured).to_string();
        assert_eq!(plain, text);
    }
}
