//! Finding a rule's words in a seed: the cited section, the field's block inside it (following
//! the path of parent fields), the block's own lines, and the line that carries a constraint.

use regex::Regex;
use std::sync::LazyLock;

/// A seed text split into lines.
pub struct Text {
    pub lines: Vec<String>,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.+?)\s*:?\s*$").unwrap());
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*-\s*\*\*([^*]+)\*\*\s*:?").unwrap());
static ROW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\|?\s*([A-Za-z_][\w.-]*)\s*(\||$)").unwrap());

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The field name a label line introduces, if the line is one.
fn label(line: &str) -> Option<(String, bool)> {
    if let Some(c) = HEADING.captures(line) {
        return Some((c[2].trim_end_matches(':').trim().to_string(), true));
    }
    if let Some(c) = BULLET.captures(line) {
        return Some((c[1].trim_end_matches(':').trim().to_string(), false));
    }
    ROW.captures(line).map(|c| (c[1].to_string(), false))
}

/// A heading's kind, digits blurred: `2.` and `3.` are siblings, as are `API Version: V3` and `API Version: V2`.
/// With a colon, the text before it (`API Version` is not `API Responses`).
fn shape(line: &str) -> String {
    let text = line.trim_start_matches('#').trim();
    let word = match text.split_once(':') {
        Some((head, _)) => head,
        None => text.split_whitespace().next().unwrap_or(""),
    };
    word.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect()
}

fn heading_level(line: &str) -> Option<usize> {
    HEADING.captures(line).map(|c| c[1].len())
}

impl Text {
    pub fn new(s: &str) -> Text {
        Text {
            lines: s.lines().map(str::to_string).collect(),
        }
    }

    /// The line range of a section path such as `API Version: V3 > Body Parameters`: each
    /// component narrows the range to its heading's span (a component may name alternatives
    /// with ` / `; one not found leaves the range as it is).
    pub fn section(&self, section: &str) -> (usize, usize) {
        let first = section.split(" | ").next().unwrap_or("");
        let (mut start, mut end) = (0, self.lines.len());
        for component in first.split(" > ") {
            let found = component.split(" / ").find_map(|alt| {
                let alt = alt.trim().trim_end_matches(':');
                (start..end)
                    .find(|&i| heading_level(&self.lines[i]).is_some() && self.lines[i].contains(alt))
                    .or_else(|| (start..end).find(|&i| self.lines[i].contains(alt)))
            });
            let Some(i) = found else { continue };
            start = i;
            if let Some(l) = heading_level(&self.lines[i]) {
                let word = shape(&self.lines[i]);
                // The span ends at the next sibling of the same kind (`## API Version: V2` after
                // `## API Version: V3`), else at the next heading of its level or above that is
                // not a document title.
                let sibling =
                    (i + 1..end).find(|&j| heading_level(&self.lines[j]) == Some(l) && shape(&self.lines[j]) == word);
                // The last member of a family (`API Version: Default`) runs to the end.
                let family = self.lines[i].contains(':')
                    && (0..i).any(|j| heading_level(&self.lines[j]) == Some(l) && shape(&self.lines[j]) == word);
                end = sibling.unwrap_or_else(|| {
                    if family {
                        return end;
                    }
                    (i + 1..end)
                        .find(|&j| heading_level(&self.lines[j]).is_some_and(|m| m <= l && m > 1))
                        .unwrap_or(end)
                });
            }
        }
        (start, end)
    }

    /// The block `(label line, end)` of the first field labelled `name` in `range`.
    pub fn block(&self, name: &str, range: (usize, usize)) -> Option<(usize, usize)> {
        let (lo, hi) = range;
        let start = (lo..hi).find(|&i| {
            label(&self.lines[i]).is_some_and(|(n, _)| n.eq_ignore_ascii_case(name) || n == format!("{name}:"))
        })?;
        let (_, heading) = label(&self.lines[start])?;
        let ind = indent(&self.lines[start]);
        let end = (start + 1..hi)
            .find(|&i| {
                let l = &self.lines[i];
                match label(l) {
                    Some((_, h)) if h => true,
                    Some(_) => !heading && indent(l) <= ind,
                    None => false,
                }
            })
            .unwrap_or(hi)
            .min(start + 60);
        Some((start, end))
    }

    /// The lines of a block that belong to its field itself (not to nested fields).
    pub fn own(&self, (start, end): (usize, usize)) -> Vec<usize> {
        let mut child: Option<usize> = None;
        let mut out = vec![start];
        for i in start + 1..end {
            let l = &self.lines[i];
            if l.trim().is_empty() {
                continue;
            }
            let ind = indent(l);
            if let Some((_, false)) = label(l) {
                if BULLET.is_match(l) {
                    child = Some(child.map_or(ind, |c| c.min(ind)));
                    continue;
                }
            }
            if child.is_none_or(|c| ind < c) {
                out.push(i);
            }
        }
        out
    }
}
