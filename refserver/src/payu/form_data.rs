//! Reading a `postservice.php` command: a form-urlencoded body, or `multipart/form-data`
//! (udf_update and the invoice upload use multipart in seed 004). A file part stands in the
//! document as its file name (empty when the file is empty), so the models can judge it. A
//! fault ignoring a command's syntax rule makes the server read that command leniently.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use upi_spec::input::{Document, pairs_to_object, parse_form_pairs, text};
use upi_spec::model::Message;

use super::multipart;
use crate::fault::Fault;
use crate::judge::{Refusal, ignores_syntax, lenient_form, lenient_form_pairs};

/// The parts of a command, in the order sent.
#[derive(Debug, Clone, Default)]
pub struct CommandForm {
    /// Names and text values (a file part's value is its file name, empty for an empty file).
    pub pairs: Vec<(String, String)>,
    /// The file name of the `file` part, if one was sent as a file.
    pub file_name: Option<String>,
}

impl CommandForm {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The parts as a document of `message` (a name sent twice is refused, unless `fault`
    /// ignores the syntax rule: then the first is kept).
    pub fn document(&self, message: &Message, fault: Option<&Fault>) -> Result<Document, Refusal> {
        if ignores_syntax(message, fault) {
            return Ok(Document::body(lenient_form(self.pairs.clone())));
        }
        pairs_to_object(self.pairs.clone(), "form body")
            .map(Document::body)
            .map_err(|e| Refusal::unreadable(message, &e))
    }

    /// A form-urlencoded body that [`read`] refused, read leniently.
    pub fn lenient(body: &[u8]) -> CommandForm {
        CommandForm {
            pairs: lenient_form_pairs(&String::from_utf8_lossy(body)),
            file_name: None,
        }
    }
}

/// Reads the body as multipart when its content type says so, else as a form.
pub fn read(headers: &HeaderMap, body: &[u8], limit: usize) -> Result<CommandForm, String> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return multipart(content_type, body);
    }
    let text = text(body, limit).map_err(|e| e.to_string())?;
    let pairs = parse_form_pairs(text).map_err(|e| e.to_string())?;
    Ok(CommandForm { pairs, file_name: None })
}

fn multipart(content_type: &str, body: &[u8]) -> Result<CommandForm, String> {
    let boundary = multipart::boundary(content_type).map_err(|e| e.to_string())?;
    let parts = multipart::parts(body, &boundary).map_err(|e| e.to_string())?;
    let mut form = CommandForm::default();
    for part in parts {
        let name = part.name.unwrap_or_default();
        let value = match part.file_name {
            Some(file) => {
                if name == "file" {
                    form.file_name = Some(file.clone());
                }
                if part.data.is_empty() {
                    String::new()
                } else if file.is_empty() {
                    "file".to_owned()
                } else {
                    file
                }
            }
            None => String::from_utf8(part.data.to_vec()).map_err(|_| {
                format!(
                    "multipart part {} is not UTF-8 text",
                    upi_spec::constraint::quote(&name)
                )
            })?,
        };
        form.pairs.push((name, value));
    }
    Ok(form)
}
