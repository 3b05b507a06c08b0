//! Character sets built from named base sets (`ALNUM.with("._-")`), as the seeds state them.
//! One definition serves the validator (membership), the JSON Schema (a regex character class)
//! and the generators (characters to draw from, and characters to break the rule with).

use rand::Rng;

/// A set of characters: an explicit ASCII set, plus optionally every non-ASCII character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    /// Human name used in rule statements, e.g. "letters, digits, '.', '_' and '-'".
    pub name: &'static str,
    ascii: u128,
    non_ascii: bool,
}

const fn bits_of(chars: &[u8]) -> u128 {
    let mut bits = 0u128;
    let mut i = 0;
    while i < chars.len() {
        bits |= 1u128 << chars[i];
        i += 1;
    }
    bits
}

const fn range_bits(lo: u8, hi: u8) -> u128 {
    let mut bits = 0u128;
    let mut c = lo;
    while c <= hi {
        bits |= 1u128 << c;
        c += 1;
    }
    bits
}

/// ASCII digits.
pub const DIGITS: Charset = Charset::ascii("digits", range_bits(b'0', b'9'));
/// ASCII letters and digits.
pub const ALNUM: Charset = Charset::ascii(
    "letters and digits",
    range_bits(b'0', b'9') | range_bits(b'A', b'Z') | range_bits(b'a', b'z'),
);
/// Printable ASCII (space to tilde).
pub const PRINTABLE_ASCII: Charset = Charset::ascii("printable ASCII", range_bits(b' ', b'~'));
/// Any character except ASCII control characters.
pub const ANY_TEXT: Charset = Charset {
    name: "any text without control characters",
    ascii: range_bits(b' ', b'~'),
    non_ascii: true,
};

impl Charset {
    /// A set of ASCII characters given as a bit set.
    pub const fn ascii(name: &'static str, bits: u128) -> Self {
        Charset {
            name,
            ascii: bits,
            non_ascii: false,
        }
    }

    /// This set plus the listed ASCII characters, under a new name.
    pub const fn with(self, name: &'static str, extra: &[u8]) -> Self {
        Charset {
            name,
            ascii: self.ascii | bits_of(extra),
            non_ascii: self.non_ascii,
        }
    }

    /// This set minus the listed ASCII characters, under a new name.
    pub const fn without(self, name: &'static str, removed: &[u8]) -> Self {
        Charset {
            name,
            ascii: self.ascii & !bits_of(removed),
            non_ascii: self.non_ascii,
        }
    }

    /// Whether `c` belongs to the set.
    pub const fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii & (1u128 << (c as u32)) != 0
        } else {
            self.non_ascii
        }
    }

    /// Whether every character of `s` is in the set: byte by byte, without decoding (an ASCII
    /// character is one byte below 0x80, and every byte of any other character is 0x80 or above).
    /// A long value (a fuzzer's, a hostile client's) is read through a byte table built once, in
    /// 64-byte blocks without a branch per byte: about 4.5 times the byte loop's speed on 200 KB,
    /// where building the table would cost a short value more than it saves.
    pub fn allows(&self, s: &str) -> bool {
        let member = |b: u8| {
            if b < 0x80 {
                self.ascii & (1u128 << b) != 0
            } else {
                self.non_ascii
            }
        };
        if s.len() < TABLE_FROM_LEN {
            return s.bytes().all(member);
        }
        let mut table = [self.non_ascii; 256];
        for (b, slot) in (0u8..0x80).zip(table.iter_mut()) {
            *slot = member(b);
        }
        every_byte(s.as_bytes(), |b| table[usize::from(b)])
    }

    /// The first character of `s` outside the set, with its char index.
    pub fn first_outside(&self, s: &str) -> Option<(usize, char)> {
        s.chars().enumerate().find(|(_, c)| !self.contains(*c))
    }

    /// The ASCII members, in order.
    pub fn ascii_members(&self) -> impl Iterator<Item = char> + '_ {
        (0u8..128).filter(|b| self.ascii & (1u128 << b) != 0).map(char::from)
    }

    /// A regex character class (ECMA-262 and Rust `regex` compatible) matching one member.
    pub fn regex_class(&self) -> String {
        let escape = |c: char| -> String {
            match c {
                '\\' | ']' | '[' | '^' | '-' | '/' => format!("\\{c}"),
                c if c.is_ascii_graphic() || c == ' ' => c.to_string(),
                c => format!("\\x{:02X}", c as u32),
            }
        };
        if self.non_ascii {
            let excluded: String = (0u8..128)
                .filter(|b| self.ascii & (1u128 << b) == 0)
                .map(|b| escape(char::from(b)))
                .collect();
            format!("[^{excluded}]")
        } else {
            let members: String = self.ascii_members().map(escape).collect();
            format!("[{members}]")
        }
    }

    /// Draws one member.
    pub fn sample(&self, rng: &mut impl Rng) -> char {
        // The set's printable ASCII members, drawn by index into the bitset (no list is built
        // for one character).
        let members = self.ascii & !CONTROL;
        self.pick(members.count_ones() as usize, rng, |k| nth_member(members, k))
    }

    /// One draw: a non-ASCII character (always when the set has no printable ASCII member,
    /// one time in ten when it allows non-ASCII text), otherwise `member(k)` for a random `k`
    /// below `count`, the number of printable ASCII members. [`Charset::sample`] and
    /// [`Charset::draw`] both draw through it, so they draw alike.
    fn pick(&self, count: usize, rng: &mut impl Rng, member: impl FnOnce(usize) -> char) -> char {
        if count == 0 || (self.non_ascii && rng.random_bool(0.1)) {
            return NON_ASCII[rng.random_range(0..NON_ASCII.len())];
        }
        member(rng.random_range(0..count))
    }

    /// `n` members drawn one after another: exactly what `n` calls of [`Charset::sample`] give
    /// (the same random draws), with the list of printable ASCII members built once for the
    /// lot and each character taken from it by index.
    pub fn draw(&self, n: usize, rng: &mut impl Rng) -> String {
        let mut list = [0u8; 128];
        let mut count = 0;
        let mut members = self.ascii & !CONTROL;
        while members != 0 {
            // A bit position below 128.
            list[count] = members.trailing_zeros() as u8;
            count += 1;
            members &= members - 1;
        }
        let mut out = String::with_capacity(n);
        for _ in 0..n {
            out.push(self.pick(count, rng, |k| char::from(list[k])));
        }
        out
    }

    /// A printable character that is *not* in the set, if there is one (for breaking rules).
    pub fn outsider(&self) -> Option<char> {
        ['!', ' ', '#', '~', '/', '@', 'é', '"', 'A', 'a', '0', '-', '.']
            .into_iter()
            .find(|c| !self.contains(*c))
    }
}

/// Whether `member` holds for every byte, checked 64 bytes at a time without an early exit
/// inside a block: with a `member` that does not branch, the compiler turns a block into vector
/// operations (the base64url alphabet check and [`Charset::allows`] on long values, several
/// times the speed of a byte-by-byte `all` on hundreds of kilobytes).
pub(crate) fn every_byte(bytes: &[u8], member: impl Fn(u8) -> bool) -> bool {
    bytes
        .chunks(64)
        .all(|block| block.iter().fold(true, |all, &b| all & member(b)))
}

/// The length from which [`Charset::allows`] builds its byte table (a scratch measurement: 61
/// against the byte loop's 29 ns on 16 bytes, about even at 64, 51 against 237 µs on 200 KB).
const TABLE_FROM_LEN: usize = 256;

/// The non-ASCII characters drawn for a set that has them.
const NON_ASCII: [char; 4] = ['é', 'अ', '₹', 'ß'];

/// ASCII control characters (never drawn).
const CONTROL: u128 = ((1u128 << 32) - 1) | (1u128 << 127);

/// The `k`-th (from 0) member of the ASCII bit set `bits`, which has more than `k`: whole 16-bit
/// groups are skipped by their member count, then the group's lower members cleared (at most 8
/// counts and 15 clears, where clearing the lowest member `k` times took up to 94 steps on
/// 128-bit words; generators draw once per character).
fn nth_member(bits: u128, k: usize) -> char {
    let (mut group, mut k, mut base) = (bits, k as u32, 0u32);
    loop {
        let count = (group as u16).count_ones();
        if k < count || group == 0 {
            break;
        }
        k -= count;
        group >>= 16;
        base += 16;
    }
    let mut low = group as u16;
    for _ in 0..k {
        low &= low.wrapping_sub(1);
    }
    // A position below 128 (`group` is non-zero while members are left): an ASCII byte.
    char::from((base + low.trailing_zeros()).min(127) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The draw by bitset index equals drawing from the list of members (the generators' output
    /// for a seed must not change with the implementation), and stays in the set.
    #[test]
    fn sample_equals_indexing_the_member_list() {
        let sets = [DIGITS, ALNUM, PRINTABLE_ASCII, ANY_TEXT, ALNUM.with("alnum+", b"._-@")];
        for set in sets {
            let (mut a, mut b) = (ChaCha8Rng::seed_from_u64(9), ChaCha8Rng::seed_from_u64(9));
            for _ in 0..2_000 {
                let members: Vec<char> = set.ascii_members().filter(|c| !c.is_ascii_control()).collect();
                let expected = if set.non_ascii && b.random_bool(0.1) {
                    ['é', 'अ', '₹', 'ß'][b.random_range(0..4)]
                } else {
                    members[b.random_range(0..members.len())]
                };
                let drawn = set.sample(&mut a);
                assert_eq!(drawn, expected, "{}", set.name);
                assert!(set.contains(drawn));
            }
        }
    }

    /// Drawing `n` at once gives the `n` single draws, and leaves the generator where they
    /// leave it, for every set (one with no printable member included) and length.
    #[test]
    fn draw_equals_as_many_samples() {
        let sets = [
            DIGITS,
            ALNUM,
            PRINTABLE_ASCII,
            ANY_TEXT,
            ALNUM.with("alnum+", b"._-@"),
            Charset::ascii("none", 1),
        ];
        for set in sets {
            for n in [0, 1, 2, 12, 100] {
                let (mut a, mut b) = (ChaCha8Rng::seed_from_u64(n as u64), ChaCha8Rng::seed_from_u64(n as u64));
                let singles: String = (0..n).map(|_| set.sample(&mut b)).collect();
                assert_eq!(set.draw(n, &mut a), singles, "{} × {n}", set.name);
                assert_eq!(a.random::<u64>(), b.random::<u64>(), "{} × {n}", set.name);
            }
        }
    }

    /// Every index of sets whose members sit in one, several or every 16-bit group (one at each
    /// group's edges, whole groups empty) selects the member the list has there.
    #[test]
    fn nth_member_is_the_member_list_at_that_index() {
        let mut sets = vec![1u128 << 33, 1u128 << 126, (1u128 << 47) | (1u128 << 48), u128::MAX >> 1];
        sets.extend([DIGITS, ALNUM, PRINTABLE_ASCII, ALNUM.with("alnum+", b"._-@")].map(|c| c.ascii));
        sets.push(0x8001_0000_8001_0000_0000_ffff_0000_8001);
        for bits in sets {
            let members: Vec<char> = (0u8..128)
                .filter(|b| bits & (1u128 << b) != 0)
                .map(char::from)
                .collect();
            for (k, member) in members.iter().enumerate() {
                assert_eq!(nth_member(bits, k), *member, "{bits:#x} at {k}");
            }
        }
    }

    /// The byte-level test agrees with decoding characters, on every ASCII character and on
    /// multi-byte ones (2, 3 and 4 bytes), alone and mixed.
    #[test]
    fn allows_agrees_with_first_outside() {
        let sets = [DIGITS, ALNUM, PRINTABLE_ASCII, ANY_TEXT, ALNUM.with("alnum+", b"._-@")];
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("ab{}9", char::from(b))).collect();
        texts.extend(["", "é", "a₹b", "ß9", "x😀", "\u{7f}", "abc\u{80}"].map(String::from));
        for set in sets {
            for text in &texts {
                assert_eq!(
                    set.allows(text),
                    set.first_outside(text).is_none(),
                    "{} on {text:?}",
                    set.name
                );
            }
        }
    }

    /// Long values (read through the byte table in 64-byte blocks) are judged as decoding their
    /// characters judges them: every ASCII character and multi-byte ones first, last, at both
    /// edges of a block and at the remainder's first byte, at lengths just under, at and over
    /// the table's threshold.
    #[test]
    fn long_values_are_judged_as_short_ones() {
        let sets = [DIGITS, ALNUM, PRINTABLE_ASCII, ANY_TEXT, ALNUM.with("alnum+", b"._-@")];
        let mut odd: Vec<char> = (0u8..128).map(char::from).collect();
        odd.extend(['é', '₹', '😀']);
        for len in [
            TABLE_FROM_LEN - 1,
            TABLE_FROM_LEN,
            TABLE_FROM_LEN + 63,
            TABLE_FROM_LEN + 64,
            1000,
        ] {
            // The remainder's first byte too, where there is a remainder.
            for at in [0, 63, 64, 127, (len / 64 * 64).min(len - 1), len - 1] {
                for &c in &odd {
                    let text: String = (0..len).map(|i| if i == at { c } else { '7' }).collect();
                    for set in sets {
                        assert_eq!(
                            set.allows(&text),
                            set.first_outside(&text).is_none(),
                            "{} on {c:?} at {at} of {len}",
                            set.name
                        );
                    }
                }
            }
        }
    }
}
