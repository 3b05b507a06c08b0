//! A map whose entries each expire and whose size is capped: what keeps the server's state
//! bounded however many unique IDs clients send. Expired entries are removed whenever the map is
//! touched; past the capacity the entry closest to its expiry is evicted first.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Entries by key, each with its expiry.
#[derive(Debug)]
pub struct Expiring<V> {
    entries: HashMap<String, Slot<V>>,
    /// `(expiry, insertion number, key)` of every entry, soonest first.
    order: BTreeSet<(Instant, u64, String)>,
    next: u64,
    capacity: usize,
}

#[derive(Debug)]
struct Slot<V> {
    expires: Instant,
    number: u64,
    value: V,
}

impl<V> Expiring<V> {
    /// An empty map holding at most `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Expiring<V> {
        Expiring {
            entries: HashMap::new(),
            order: BTreeSet::new(),
            next: 0,
            capacity: capacity.max(1),
        }
    }

    /// Removes the entries expired at `now`, returning them.
    pub fn purge(&mut self, now: Instant) -> Vec<(String, V)> {
        let mut gone = Vec::new();
        while self.order.first().is_some_and(|(expires, _, _)| *expires <= now) {
            if let Some((_, _, key)) = self.order.pop_first()
                && let Some(slot) = self.entries.remove(&key)
            {
                gone.push((key, slot.value));
            }
        }
        gone
    }

    /// The live entry under `key`.
    pub fn get(&mut self, key: &str, now: Instant) -> Option<&V> {
        self.get_mut(key, now).map(|v| &*v)
    }

    /// The live entry under `key`, to change.
    pub fn get_mut(&mut self, key: &str, now: Instant) -> Option<&mut V> {
        self.entries
            .get_mut(key)
            .filter(|slot| slot.expires > now)
            .map(|slot| &mut slot.value)
    }

    /// Inserts (or replaces) `key` for `lifetime` from `now`; returns every entry removed to
    /// make room or because it expired.
    pub fn insert(&mut self, key: String, value: V, lifetime: Duration, now: Instant) -> Vec<(String, V)> {
        let mut gone = self.purge(now);
        if let Some(old) = self.entries.remove(&key) {
            self.order.remove(&(old.expires, old.number, key.clone()));
        }
        while self.entries.len() >= self.capacity {
            let Some((_, _, evicted)) = self.order.pop_first() else {
                break;
            };
            if let Some(slot) = self.entries.remove(&evicted) {
                gone.push((evicted, slot.value));
            }
        }
        let expires = now
            .checked_add(lifetime)
            .unwrap_or(now + Duration::from_secs(365 * 24 * 3600));
        let number = self.next;
        self.next += 1;
        self.order.insert((expires, number, key.clone()));
        self.entries.insert(key, Slot { expires, number, value });
        gone
    }

    /// How many entries are held (expired ones not yet purged included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_cap_evicts_the_soonest_to_expire() {
        let now = Instant::now();
        let mut map = Expiring::new(2);
        assert!(map.insert("a".into(), 1, Duration::from_secs(10), now).is_empty());
        assert!(map.insert("b".into(), 2, Duration::from_secs(5), now).is_empty());
        // Full: b expires first, so b goes.
        let gone = map.insert("c".into(), 3, Duration::from_secs(20), now);
        assert_eq!(gone, vec![("b".to_string(), 2)]);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get("a", now), Some(&1));
        // At its expiry an entry is no longer live, and the next insert purges it.
        let later = now + Duration::from_secs(10);
        assert_eq!(map.get("a", later), None);
        let gone = map.insert("d".into(), 4, Duration::from_secs(1), later);
        assert_eq!(gone, vec![("a".to_string(), 1)]);
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn replacing_a_key_keeps_one_entry() {
        let now = Instant::now();
        let mut map = Expiring::new(10);
        map.insert("a".into(), 1, Duration::from_secs(10), now);
        map.insert("a".into(), 2, Duration::from_secs(1), now);
        assert_eq!(map.len(), 1);
        assert_eq!(map.get("a", now), Some(&2));
        assert_eq!(map.purge(now + Duration::from_secs(1)), vec![("a".to_string(), 2)]);
        assert_eq!(map.len(), 0);
    }
}
