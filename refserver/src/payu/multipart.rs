//! A whole `multipart/form-data` body split into its parts (RFC 7578 on RFC 2046 §5.1.1).
//!
//! The server holds the body in memory before it reads it; multer, which axum's `Multipart`
//! runs, is made for bodies arriving in pieces and rebuilds a substring searcher on every read
//! (about 12 % of the server's CPU per PayU command). This reads the body as multer reads it
//! when it is complete, step for step (the test holds it to multer on listed and generated
//! bodies): anything before the first `--boundary` is skipped; after a delimiter, `--` ends the
//! body (anything after it is ignored); otherwise spaces and tabs, then CRLF, then the part's
//! headers up to the first blank line (at most 32, parsed by `httparse`, each name and value
//! one `http` accepts), then the data up to CRLF `--boundary`. The part's name and file name are
//! the `name` and `filename` parameters of its last `Content-Disposition` header. Only the
//! refusals' wording differs: each names what is missing and the byte where it was looked for.

use std::borrow::Cow;

use memchr::memmem;

/// The most headers a part may have (multer's limit).
const MAX_HEADERS: usize = 32;

/// What ends a part's headers, its searcher built once (building one costs more than most
/// searches here).
static BLANK_LINE: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"\r\n\r\n"));

/// One part of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The `name` parameter of its `Content-Disposition`.
    pub name: Option<String>,
    /// The `filename` parameter of its `Content-Disposition`.
    pub file_name: Option<String>,
    /// Its data.
    pub data: &'a [u8],
}

/// Why a body is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultipartError {
    /// The content type names no usable boundary.
    #[error("multipart/form-data without a usable boundary: {0}")]
    Boundary(String),
    /// No delimiter line where one must be.
    #[error("no `--{boundary}` delimiter from byte {at} on")]
    NoDelimiter {
        /// The boundary.
        boundary: String,
        /// Where the search began.
        at: usize,
    },
    /// The body ends (or has only spaces and tabs) after a delimiter.
    #[error("the body ends after the delimiter at byte {at}")]
    EndsAfterDelimiter {
        /// Where the delimiter ended.
        at: usize,
    },
    /// A delimiter line not ending in CRLF.
    #[error("the delimiter line at byte {at} does not end in CRLF")]
    DelimiterLine {
        /// Where CRLF was expected.
        at: usize,
    },
    /// Headers with no blank line after them.
    #[error("part {part}: its headers from byte {at} end in no blank line")]
    HeadersUnended {
        /// The part (1-based).
        part: usize,
        /// Where its headers begin.
        at: usize,
    },
    /// Headers `httparse` or `http` refuses.
    #[error("part {part}: its headers from byte {at} do not parse: {reason}")]
    Headers {
        /// The part (1-based).
        part: usize,
        /// Where its headers begin.
        at: usize,
        /// What is wrong.
        reason: String,
    },
    /// Data with no delimiter after it.
    #[error(
        "part {part} ({}): its data from byte {at} ends in no CRLF `--{boundary}`",
        name.as_deref().map_or_else(|| "no name".to_owned(), upi_spec::constraint::quote)
    )]
    DataUnended {
        /// The part (1-based).
        part: usize,
        /// Its name.
        name: Option<String>,
        /// Where its data begins.
        at: usize,
        /// The boundary.
        boundary: String,
    },
}

/// The boundary `content_type` names (as multer reads it: a `multipart/form-data` media type
/// with a `boundary` parameter).
pub fn boundary(content_type: &str) -> Result<String, MultipartError> {
    multer::parse_boundary(content_type).map_err(|e| MultipartError::Boundary(e.to_string()))
}

/// The parts of `body`, delimited by `boundary`, in order.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, MultipartError> {
    let delimiter = format!("--{boundary}");
    // A body starts with its first delimiter but for a preamble: no searcher built for that.
    let first = if body.starts_with(delimiter.as_bytes()) {
        0
    } else {
        memmem::find(body, delimiter.as_bytes()).ok_or_else(|| MultipartError::NoDelimiter {
            boundary: boundary.to_owned(),
            at: 0,
        })?
    };
    // CRLF and the delimiter: what ends a part's data.
    let closing = format!("\r\n{delimiter}");
    let data_end = memmem::Finder::new(closing.as_bytes());
    let mut parts = Vec::new();
    // At a delimiter (found, so it is there whole).
    let mut at = first + delimiter.len();
    loop {
        match body.get(at..at + 2) {
            None => return Err(MultipartError::EndsAfterDelimiter { at }),
            Some(b"--") => return Ok(parts),
            Some(_) => {}
        }
        at += body[at..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if at == body.len() {
            return Err(MultipartError::EndsAfterDelimiter { at });
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return Err(MultipartError::DelimiterLine { at });
        }
        at += 2;
        let number = parts.len() + 1;
        let headers_end = BLANK_LINE
            .find(&body[at..])
            .ok_or(MultipartError::HeadersUnended { part: number, at })?;
        let disposition = disposition(&body[at..at + headers_end + 4]).map_err(|reason| MultipartError::Headers {
            part: number,
            at,
            reason,
        })?;
        let name = disposition.and_then(|d| parameter(d, b"name")).map(Cow::into_owned);
        let file_name = disposition.and_then(|d| parameter(d, b"filename")).map(Cow::into_owned);
        at += headers_end + 4;
        let Some(length) = data_end.find(&body[at..]) else {
            return Err(MultipartError::DataUnended {
                part: number,
                name,
                at,
                boundary: boundary.to_owned(),
            });
        };
        parts.push(Part {
            name,
            file_name,
            data: &body[at..at + length],
        });
        at += length + closing.len();
    }
}

/// The value of the last `Content-Disposition` header among `headers` (which end in a blank
/// line), or why they do not parse.
fn disposition(headers: &[u8]) -> Result<Option<&[u8]>, String> {
    let mut parsed = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let parsed = match httparse::parse_headers(headers, &mut parsed).map_err(|e| e.to_string())? {
        httparse::Status::Complete((_, parsed)) => parsed,
        httparse::Status::Partial => return Err("incomplete headers".into()),
    };
    let mut found = None;
    for h in parsed.iter() {
        axum::http::HeaderName::from_bytes(h.name.as_bytes()).map_err(|e| format!("header name {:?}: {e}", h.name))?;
        axum::http::HeaderValue::from_bytes(h.value).map_err(|e| format!("header {:?}: {e}", h.name))?;
        if h.name.eq_ignore_ascii_case("content-disposition") {
            found = Some(h.value);
        }
    }
    Ok(found)
}

/// The parameter `key` of a `Content-Disposition` value, read as multer reads it: the first
/// `key` at the start or after whitespace or `;`, then `=` (spaces around it allowed; none: no
/// parameter), then a quoted string (`\"` standing for `"`) or a token up to `;` or a space;
/// none when that is not UTF-8.
fn parameter<'h>(value: &'h [u8], key: &[u8]) -> Option<Cow<'h, str>> {
    // One searcher over the value (a value of many near-misses stays linear). multer searches
    // again after each near miss, so a match right where that search resumes counts as one at
    // the start.
    let mut resume = 0;
    for i in memmem::find_iter(value, key) {
        let after = &value[i + key.len()..];
        if i > resume && !(value[i - 1].is_ascii_whitespace() || value[i - 1] == b';') {
            resume = i + key.len();
            continue;
        }
        let rest = after_space_then(after, b'=')?;
        let (text, escaped) = match after_space_then(rest, b'"') {
            Some(quoted) => {
                let mut end = memchr::memchr(b'"', quoted)?;
                let mut escaped = false;
                while end > 0 && quoted[end - 1] == b'\\' {
                    escaped = true;
                    end = end + 1 + memchr::memchr(b'"', &quoted[end + 1..])?;
                }
                (&quoted[..end], escaped)
            }
            None => {
                let token = trim_space_start(rest);
                let end = memchr::memchr2(b';', b' ', token).unwrap_or(token.len());
                (&token[..end], false)
            }
        };
        let text = std::str::from_utf8(text).ok()?;
        return Some(if escaped {
            Cow::Owned(text.replace("\\\"", "\""))
        } else {
            Cow::Borrowed(text)
        });
    }
    None
}

fn trim_space_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// What follows `byte` after leading whitespace, when `byte` comes next.
fn after_space_then(bytes: &[u8], byte: u8) -> Option<&[u8]> {
    match trim_space_start(bytes) {
        [first, rest @ ..] if *first == byte => Some(rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;
    use proptest::prelude::*;

    use super::*;

    /// What a body reads as: each part's name, file name and data, or a refusal.
    type Reading = Result<Vec<(Option<String>, Option<String>, Vec<u8>)>, ()>;

    /// The body read by multer (which axum's `Multipart` runs) as one chunk: the oracle.
    fn by_multer(body: &[u8], boundary: &str) -> Reading {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let chunk = Bytes::copy_from_slice(body);
            let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(chunk)));
            let mut form = multer::Multipart::new(stream, boundary);
            let mut read = Vec::new();
            while let Some(field) = form.next_field().await.map_err(|_| ())? {
                let (name, file) = (field.name().map(str::to_owned), field.file_name().map(str::to_owned));
                let data = field.bytes().await.map_err(|_| ())?;
                read.push((name, file, data.to_vec()));
            }
            Ok(read)
        })
    }

    fn by_us(body: &[u8], boundary: &str) -> Reading {
        parts(body, boundary)
            .map(|ps| ps.into_iter().map(|p| (p.name, p.file_name, p.data.to_vec())).collect())
            .map_err(|_| ())
    }

    /// Bodies at the edges of multer's reading: a preamble and an epilogue, padding after a
    /// delimiter, a part without headers, without a disposition, with two, with parameters
    /// unquoted, spaced, escaped, out of order, inside other words, not UTF-8; a delimiter
    /// inside data without CRLF, CRLF in data; and broken ones: no delimiter, no closing
    /// delimiter, a delimiter without CRLF, unended headers, a bad header line, too many
    /// headers, a control character in a value, the body ending after a delimiter.
    fn listed() -> Vec<&'static [u8]> {
        vec![
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n",
            b"preamble\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--epilogue",
            b"--B \t \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--B--",
            b"--B\r\n\r\n\r\nno headers\r\n--B--",
            b"--B\r\nX-Other: 1\r\n\r\nno disposition\r\n--B--",
            b"--B\r\ncontent-disposition: form-data; name=\"first\"\r\nContent-Disposition: form-data; name=\"second\"\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data;name = \"sp aced\" ;filename= \"a\\\"b\\\".pdf\"\r\n\r\n%PDF\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; filename=\"f.txt\"; name=n\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; xname=\"no\"; name=yes\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; xnamename=resumed\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: xnamexname name=second\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name=\"\xff\xfe\"\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx--B y\r\n\r\n--Bz\r\n--B\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--B--",
            b"no delimiter at all",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunended",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B  ",
            b"--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\nunended headers",
            b"--B\r\nno colon here\r\n\r\nx\r\n--B--",
            b"--B\r\nA: \x01\r\n\r\nx\r\n--B--",
            b"--B\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\nA:1\r\n\r\nx\r\n--B--",
            b"--B",
            b"--B-",
            b"",
        ]
    }

    #[test]
    fn listed_bodies_read_as_multer_reads_them() {
        for body in listed() {
            let ours = by_us(body, "B");
            assert_eq!(ours, by_multer(body, "B"), "{:?}", String::from_utf8_lossy(body));
        }
        // The list holds both readings and refusals.
        assert!(listed().iter().any(|b| by_us(b, "B").is_ok()));
        assert!(listed().iter().any(|b| by_us(b, "B").is_err()));
    }

    #[test]
    fn refusals_name_the_byte() {
        let refused = |body: &[u8]| parts(body, "B").unwrap_err().to_string();
        assert_eq!(refused(b"xx"), "no `--B` delimiter from byte 0 on");
        assert_eq!(refused(b"--B"), "the body ends after the delimiter at byte 3");
        assert_eq!(refused(b"--Bjunk"), "the delimiter line at byte 3 does not end in CRLF");
        assert_eq!(
            refused(b"--B\r\nA: 1\r\n"),
            "part 1: its headers from byte 5 end in no blank line"
        );
        assert_eq!(
            refused(b"--B\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz"),
            "part 1 (\"a\"): its data from byte 47 ends in no CRLF `--B`"
        );
        assert!(
            boundary("multipart/form-data")
                .unwrap_err()
                .to_string()
                .contains("boundary")
        );
        assert_eq!(boundary("multipart/form-data; boundary=\"a b\"").unwrap(), "a b");
    }

    /// Hostile bodies a server's 1 MiB limit lets through read in one pass: a disposition of
    /// near misses (`xname` 200,000 times), 50,000 empty parts, data of CR bytes.
    #[test]
    fn hostile_bodies_are_read_whole() {
        let mut near_misses = b"--B\r\nContent-Disposition: ".to_vec();
        near_misses.extend(b"xname".repeat(200_000));
        near_misses.extend_from_slice(b"\r\n\r\nx\r\n--B--");
        let read = parts(&near_misses, "B").unwrap();
        assert_eq!(
            (read.len(), read[0].name.as_deref(), read[0].data),
            (1, None, &b"x"[..])
        );
        let mut empty = b"--B\r\nContent-Disposition: form-data; name=e\r\n\r\n\r\n".repeat(50_000);
        empty.extend_from_slice(b"--B--");
        let read = parts(&empty, "B").unwrap();
        assert_eq!(read.len(), 50_000);
        assert!(read.iter().all(|p| p.name.as_deref() == Some("e") && p.data.is_empty()));
        let mut carriage_returns = b"--B\r\nContent-Disposition: form-data; name=r\r\n\r\n".to_vec();
        carriage_returns.extend(b"\r".repeat(1 << 20));
        let refused = parts(&carriage_returns, "B").unwrap_err();
        assert!(
            matches!(refused, MultipartError::DataUnended { part: 1, at: 47, .. }),
            "{refused}"
        );
    }

    /// A body of generated parts, then cut or with a byte changed.
    fn generated() -> impl Strategy<Value = (String, Vec<u8>)> {
        let part = (
            prop::option::of("[a-z \"\\\\;=]{0,6}"),
            prop::option::of("[a-z. \"\\\\]{0,6}"),
            prop::collection::vec(prop::sample::select(b"ab \r\n-B\"".to_vec()), 0..12),
        );
        (
            "[A-Za-z0-9'()+_,./:=?-]{1,12}",
            prop::collection::vec(part, 0..4),
            prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
            prop::option::of(any::<prop::sample::Index>()),
        )
            .prop_map(|(boundary, parts, change, cut)| {
                let mut body = Vec::new();
                for (name, file, data) in parts {
                    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data").as_bytes());
                    if let Some(name) = name {
                        body.extend_from_slice(format!("; name=\"{name}\"").as_bytes());
                    }
                    if let Some(file) = file {
                        body.extend_from_slice(format!("; filename=\"{file}\"").as_bytes());
                    }
                    body.extend_from_slice(b"\r\n\r\n");
                    body.extend_from_slice(&data);
                    body.extend_from_slice(b"\r\n");
                }
                body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
                if let Some((at, byte)) = change {
                    let i = at.index(body.len());
                    body[i] = byte;
                }
                if let Some(at) = cut {
                    body.truncate(at.index(body.len() + 1));
                }
                (boundary, body)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn generated_bodies_read_as_multer_reads_them((boundary, body) in generated()) {
            prop_assert_eq!(by_us(&body, &boundary), by_multer(&body, &boundary), "{:?}", String::from_utf8_lossy(&body));
        }
    }
}
