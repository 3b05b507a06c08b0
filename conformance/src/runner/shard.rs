//! Sharded live fuzzing: `fuzz --shard I/N` runs only the case numbers `k` with `k mod N = I`,
//! so N processes (N machines, N pods of an indexed job) with the same seed fuzz one target
//! without running any case twice; together they run exactly the cases one process would.
//! [`merge`] joins their findings directories, keeping one reproducer per [`dedup_key`] (the
//! key the fuzzer itself deduplicates by).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fuzz::Reproducer;

/// One shard of a fuzzing campaign: this process runs the case numbers `k` with
/// `k mod count = index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// This shard's index, `0..count`.
    pub index: u64,
    /// How many shards the campaign has.
    pub count: u64,
}

/// A `--shard` value that is not `I/N` with `0 <= I < N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard {0:?}: expected I/N with 0 <= I < N, e.g. 0/4")]
pub struct ShardParseError(String);

impl Shard {
    /// The whole case space: one process, no sharding.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The shard `index` of `count`, if `index < count`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// The global case number of this shard's `local`-th case.
    pub fn case_number(self, local: u64) -> u64 {
        local.saturating_mul(self.count).saturating_add(self.index)
    }

    /// Whether the global case number `case` belongs to this shard.
    pub fn owns(self, case: u64) -> bool {
        case % self.count == self.index
    }

    /// How many of this shard's first `locals` cases have a global number below `budget`
    /// (`budget` is the campaign's `--cases`, the same on every shard).
    pub fn cases_below(self, locals: u64, budget: u64) -> u64 {
        let owned = budget.saturating_sub(self.index).div_ceil(self.count);
        locals.min(owned)
    }

    /// Whether this is the whole case space.
    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

impl Default for Shard {
    fn default() -> Shard {
        Shard::WHOLE
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardParseError;

    fn from_str(s: &str) -> Result<Shard, ShardParseError> {
        let err = || ShardParseError(s.to_string());
        let (i, n) = s.split_once('/').ok_or_else(err)?;
        let index = i.trim().parse().map_err(|_| err())?;
        let count = n.trim().parse().map_err(|_| err())?;
        Shard::new(index, count).ok_or_else(err)
    }
}

/// The key findings are deduplicated by, in one run and across shards: the API, the kind of
/// mutation and the first broken rule of the (shrunk) reproducer.
pub fn dedup_key(r: &Reproducer) -> (String, String, String) {
    let kind = serde_json::to_value(&r.mutation)
        .ok()
        .and_then(|v| v["kind"].as_str().map(str::to_string))
        .unwrap_or_default();
    (
        r.api.clone(),
        kind,
        r.findings.first().map(|f| f.rule.clone()).unwrap_or_default(),
    )
}

/// What [`merge`] could not do.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A directory or file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A `.json` file in a findings directory is not a reproducer.
    #[error("{path} is not a reproducer written by `fuzz`: {source}")]
    NotAReproducer {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
}

/// The reproducers of several findings directories, one per [`dedup_key`]. Of reproducers with
/// the same key the one with the smallest body (the best shrunk) is kept, ties broken by the
/// lower case number, so the result does not depend on the order of the directories.
pub fn merge(dirs: &[PathBuf]) -> Result<Vec<Reproducer>, MergeError> {
    let mut kept: BTreeMap<(String, String, String), (usize, Reproducer)> = BTreeMap::new();
    for dir in dirs {
        for path in reproducer_files(dir)? {
            let text = std::fs::read_to_string(&path).map_err(|source| MergeError::Read {
                path: path.clone(),
                source,
            })?;
            let r: Reproducer =
                serde_json::from_str(&text).map_err(|source| MergeError::NotAReproducer { path, source })?;
            let size = r.body.to_string().len();
            let key = dedup_key(&r);
            let better = kept.get(&key).is_none_or(|(s, old)| (size, r.case) < (*s, old.case));
            if better {
                kept.insert(key, (size, r));
            }
        }
    }
    Ok(kept.into_values().map(|(_, r)| r).collect())
}

/// The `.json` files of a findings directory, sorted.
fn reproducer_files(dir: &Path) -> Result<Vec<PathBuf>, MergeError> {
    let read = |source| MergeError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["4/4", "1", "a/2", "0/0", "-1/3", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn shards_partition_the_case_space() {
        for (count, budget) in [(1u64, 10u64), (4, 1_000), (4, 1_001), (3, 2), (7, 0)] {
            let mut seen = Vec::new();
            for index in 0..count {
                let shard = Shard::new(index, count).unwrap();
                let n = shard.cases_below(u64::MAX, budget);
                let mine: Vec<u64> = (0..n).map(|l| shard.case_number(l)).collect();
                assert!(mine.iter().all(|&k| k < budget && shard.owns(k)), "{shard}");
                assert!(shard.case_number(n) >= budget, "{shard} stops early");
                seen.extend(mine);
            }
            seen.sort_unstable();
            assert_eq!(seen, (0..budget).collect::<Vec<_>>(), "{count} shards of {budget}");
        }
    }
}
