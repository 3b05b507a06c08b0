//! One operation per path and method of the API facts' endpoints: their request models (and
//! the envelope a request travels in), success and refusal models, turned into parameters, a
//! request body, responses and the refusal shape (`x-upi-refusal`).
//!
//! Alternatives are modelled as the models state them: requests that differ by a header whose
//! value each model fixes (`x-api-version`: a constant, or absent) become one operation whose
//! header parameter lists the values and says which model each selects; requests told apart by
//! a body field (PayU's `command`) become `oneOf` bodies; a request carried in an envelope
//! (the Merchant Stack's flattened JWS) has the envelope as its body and the carried models as
//! the envelope's decoded payload.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Answer, BASIC_AUTH, Extra, Scope, one_or, schema_ref};
use crate::messages;
use crate::model::api::{Api, BodyPredicate, Operation, Refusal};
use crate::model::{Encoding, Field, Message, Presence};
use crate::schema::header_schema;

/// Headers OpenAPI describes elsewhere (the media type, the security scheme) and ignores as
/// parameters.
const NOT_PARAMETERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// The endpoints of one path and method, and their messages.
#[derive(Debug)]
pub(super) struct Group<'a> {
    /// The API facts' endpoints, in API order.
    pub operations: Vec<&'a Operation>,
    /// Path template without the query.
    pub path: &'static str,
    /// Fixed query parameters of the endpoint (`form=2`).
    pub query: Vec<(&'static str, &'static str)>,
    /// HTTP method.
    pub method: &'static str,
    /// Request messages (the models and the envelope they travel in), in registry order.
    pub requests: Vec<&'a Message>,
    /// Response messages, in registry order.
    pub responses: Vec<&'a Message>,
}

impl Group<'_> {
    /// The tag of the operation: the API prefix of its first request's ID.
    pub fn tag(&self) -> String {
        tag_of(
            self.requests
                .first()
                .or(self.responses.first())
                .expect("a group has messages"),
        )
    }

    /// Whether `message` is one of the group's.
    pub fn holds(&self, message: &Message) -> bool {
        self.requests.iter().chain(&self.responses).any(|m| m.id == message.id)
    }

    /// The requests on the wire, and the models they carry when they are envelopes.
    fn wire_and_payloads(&self) -> (Vec<&Message>, Vec<&Message>) {
        let (payloads, plain): (Vec<&Message>, Vec<&Message>) =
            self.requests.iter().copied().partition(|m| m.envelope.is_some());
        (plain, payloads)
    }
}

/// The API prefix of a message ID (`ec`, `merchant`, `payu`).
pub(super) fn tag_of(message: &Message) -> String {
    message.id.split('.').next().unwrap_or(message.id).to_string()
}

fn push_once<'a>(list: &mut Vec<&'a Message>, message: &'a Message) {
    if !list.iter().any(|m| m.id == message.id) {
        list.push(message);
    }
}

/// The endpoints of `apis` (each API's setup endpoints first), grouped by their request model's
/// path (without query) and method, in API order. An endpoint whose request model has no HTTP
/// endpoint is not served over HTTP and has no operation.
pub(super) fn groups(apis: &'static [Api]) -> Vec<Group<'static>> {
    let mut out: Vec<Group<'static>> = Vec::new();
    for endpoint in apis.iter().flat_map(|api| api.setup.iter().chain(&api.operations)) {
        let request = endpoint.request.message();
        let Some(http) = request.endpoint else { continue };
        let (path, query) = http.path.split_once('?').unwrap_or((http.path, ""));
        let index = match out.iter().position(|g| g.path == path && g.method == http.method) {
            Some(i) => i,
            None => {
                out.push(Group {
                    operations: Vec::new(),
                    path,
                    query: Vec::new(),
                    method: http.method,
                    requests: Vec::new(),
                    responses: Vec::new(),
                });
                out.len() - 1
            }
        };
        let group = &mut out[index];
        group.operations.push(endpoint);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if !group.query.iter().any(|(n, _)| *n == name) {
                group.query.push((name, value));
            }
        }
        if let Some(envelope) = request.envelope {
            push_once(&mut group.requests, messages::envelope_model(envelope).message());
        }
        push_once(&mut group.requests, request);
        let answers = [Some(endpoint.success), Some(endpoint.error), endpoint.unroutable_error];
        for answer in answers.into_iter().flatten() {
            push_once(&mut group.responses, answer.message());
        }
    }
    // Messages in registry order (an API's file order), endpoints in API order.
    let rank = |m: &&Message| messages::all().iter().position(|o| o.id == m.id);
    for group in &mut out {
        group.requests.sort_by_key(rank);
        group.responses.sort_by_key(rank);
    }
    out
}

/// The media type of an encoding.
pub(super) fn media_type(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Json => "application/json",
        Encoding::Form => "application/x-www-form-urlencoded",
        Encoding::Multipart => "multipart/form-data",
    }
}

/// The Operation Object of a group, with the `extra` statuses of its host.
pub(super) fn operation(group: &Group, extra: &[Extra]) -> Value {
    let (wire, payloads) = group.wire_and_payloads();
    let selected = if payloads.is_empty() { &wire } else { &payloads };
    let mut parameters = path_parameters(group);
    let headers = header_parameters(selected);
    parameters.extend(headers.parameters);
    let mut op = Map::new();
    op.insert("tags".into(), json!([group.tag()]));
    op.insert("summary".into(), json!(summary(selected)));
    op.insert("description".into(), json!(description(group, selected)));
    op.insert("operationId".into(), json!(operation_id(group)));
    op.insert("parameters".into(), Value::Array(parameters));
    if !wire.is_empty() {
        op.insert(
            "requestBody".into(),
            request_body(&wire, &payloads, headers.selector.as_ref()),
        );
    }
    op.insert("responses".into(), responses(group, extra));
    op.insert("x-upi-refusal".into(), refusals(group));
    let authenticated = selected
        .iter()
        .any(|m| m.headers.iter().any(|h| h.key.label() == "authorization"));
    if authenticated {
        op.insert("security".into(), json!([{ BASIC_AUTH: [] }]));
    }
    Value::Object(op)
}

fn summary(selected: &[&Message]) -> String {
    let mut titles: Vec<&str> = Vec::new();
    for m in selected {
        if !titles.contains(&m.title) {
            titles.push(m.title);
        }
    }
    titles.join("; ")
}

fn description(group: &Group, selected: &[&Message]) -> String {
    let mut lines = vec![format!(
        "Models (upi-spec message IDs), requests and responses of `{} {}`:",
        group.method, group.path
    )];
    for m in group.requests.iter().chain(&group.responses) {
        lines.push(format!("- `{}`: {} — {}", m.id, m.title, m.source));
    }
    let mut notes: Vec<(&str, Vec<&str>)> = Vec::new();
    for m in selected.iter().chain(&group.responses) {
        for note in m.notes {
            match notes.iter_mut().find(|(n, _)| n == note) {
                Some((_, ids)) => ids.push(m.id),
                None => notes.push((note, vec![m.id])),
            }
        }
    }
    for (note, ids) in notes {
        lines.push(format!("- Note ({}): {note}", ids.join(", ")));
    }
    lines.join("\n")
}

fn operation_id(group: &Group) -> String {
    let raw = format!("{} {}", group.method.to_ascii_lowercase(), group.path);
    let mut id = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_end_matches('_').to_string()
}

fn path_parameters(group: &Group) -> Vec<Value> {
    let mut out: Vec<Value> = group
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": "Path segment of the endpoint; the models put no constraint on it",
                "schema": {"type": "string", "minLength": 1}
            })
        })
        .collect();
    out.extend(group.query.iter().map(|(name, value)| {
        json!({
            "name": name,
            "in": "query",
            "required": true,
            "description": format!("Part of the endpoint's address: always {name}={value}"),
            "schema": {"type": "string", "const": value}
        })
    }));
    out
}

/// A header whose fixed value (or absence) selects one of several request models.
#[derive(Debug)]
struct Selector {
    /// Header name.
    name: &'static str,
    /// The header value (`None`: the header is absent) and the message it selects.
    choices: Vec<(Option<&'static str>, &'static str)>,
}

/// Header parameters of the selected request models, and the selector header, if any.
struct Headers {
    parameters: Vec<Value>,
    selector: Option<Selector>,
}

/// The value a header must have in a model ([`Field::fixed_value`]); no header, anything.
fn fixed_value(field: Option<&Field>) -> Option<Option<&'static str>> {
    field?.fixed_value()
}

fn header_parameters(selected: &[&Message]) -> Headers {
    let mut names: Vec<&'static str> = Vec::new();
    for m in selected {
        for h in &m.headers {
            let name = h.key.label();
            if !names.contains(&name) && !NOT_PARAMETERS.contains(&name) {
                names.push(name);
            }
        }
    }
    let mut parameters = Vec::new();
    let mut selector = None;
    for name in names {
        let uses: Vec<(&Message, Option<&Field>)> = selected
            .iter()
            .map(|m| (*m, m.headers.iter().find(|h| h.key.label() == name)))
            .collect();
        let fixed: Option<Vec<Option<&'static str>>> = uses.iter().map(|(_, f)| fixed_value(*f)).collect();
        let distinct = fixed
            .as_ref()
            .is_some_and(|values| values.iter().enumerate().all(|(i, v)| !values[..i].contains(v)));
        if let (Some(values), true, true) = (fixed, distinct, uses.len() > 1) {
            let choices: Vec<(Option<&'static str>, &'static str)> =
                values.into_iter().zip(uses.iter().map(|(m, _)| m.id)).collect();
            parameters.push(selector_parameter(name, &choices));
            selector = Some(Selector { name, choices });
            continue;
        }
        let mut schemas: Vec<Value> = Vec::new();
        for (m, f) in &uses {
            if let Some(f) = f.filter(|f| f.presence != Presence::Absent) {
                let s = header_schema(m, f);
                if !schemas.contains(&s) {
                    schemas.push(s);
                }
            }
        }
        let required = uses
            .iter()
            .all(|(_, f)| f.is_some_and(|f| f.presence == Presence::Mandatory));
        parameters.push(json!({
            "name": name,
            "in": "header",
            "required": required,
            "schema": one_or("anyOf", schemas)
        }));
    }
    Headers { parameters, selector }
}

fn selector_parameter(name: &str, choices: &[(Option<&'static str>, &'static str)]) -> Value {
    let values: Vec<&str> = choices.iter().filter_map(|(v, _)| *v).collect();
    let required = values.len() == choices.len();
    let explained: Vec<String> = choices
        .iter()
        .map(|(v, id)| match v {
            Some(v) => format!("`{v}` selects `{id}`"),
            None => format!("no {name} header selects `{id}`"),
        })
        .collect();
    json!({
        "name": name,
        "in": "header",
        "required": required,
        "description": format!("Selects the request model: {}.", explained.join("; ")),
        "schema": {"type": "string", "enum": values}
    })
}

fn request_body(wire: &[&Message], payloads: &[&Message], selector: Option<&Selector>) -> Value {
    let mut by_media: Vec<(&str, Vec<Value>)> = Vec::new();
    for m in wire {
        let media = media_type(m.encoding);
        match by_media.iter_mut().find(|(t, _)| *t == media) {
            Some((_, refs)) => refs.push(schema_ref(m.id)),
            None => by_media.push((media, vec![schema_ref(m.id)])),
        }
    }
    let content: Map<String, Value> = by_media
        .into_iter()
        .map(|(media, refs)| (media.to_string(), json!({"schema": one_or("oneOf", refs)})))
        .collect();
    let ids: Vec<String> = wire.iter().map(|m| format!("`{}`", m.id)).collect();
    let mut body = Map::new();
    body.insert("required".into(), json!(true));
    if payloads.is_empty() {
        let how = if wire.len() > 1 {
            "one of the request models (told apart by their constant fields): "
        } else {
            "the request model "
        };
        body.insert("description".into(), json!(format!("{how}{}", ids.join(", "))));
    } else {
        let carried = match selector {
            Some(s) => s
                .choices
                .iter()
                .map(|(v, id)| match v {
                    Some(v) => format!("`{id}` when {} is `{v}`", s.name),
                    None => format!("`{id}` when {} is absent", s.name),
                })
                .collect::<Vec<_>>()
                .join("; "),
            None => payloads
                .iter()
                .map(|m| format!("`{}`", m.id))
                .collect::<Vec<_>>()
                .join(", "),
        };
        body.insert(
            "description".into(),
            json!(format!(
                "The body is the envelope {}. Its base64url `payload` decodes to the JSON request \
                 model (schemas in components.schemas, and under x-upi-envelope-payload): {carried}.",
                ids.join(", ")
            )),
        );
        let schemas: Map<String, Value> = payloads.iter().map(|m| (m.id.to_string(), schema_ref(m.id))).collect();
        let mut payload = Map::new();
        if let Some(s) = selector {
            payload.insert("selectedBy".into(), json!({"in": "header", "name": s.name}));
        }
        payload.insert("schemas".into(), Value::Object(schemas));
        body.insert("x-upi-envelope-payload".into(), Value::Object(payload));
    }
    body.insert("content".into(), Value::Object(content));
    Value::Object(body)
}

fn responses(group: &Group, extra: &[Extra]) -> Value {
    let mut by_status: BTreeMap<u16, Vec<&Message>> = BTreeMap::new();
    for m in &group.responses {
        let status = m.endpoint.map_or(0, |e| e.status);
        by_status.entry(status).or_default().push(m);
    }
    let mut out: BTreeMap<u16, Value> = by_status
        .iter()
        .map(|(status, models)| (*status, model_response(models, None)))
        .collect();
    let has_body = !group.requests.is_empty();
    let applies = |scope: Scope| match scope {
        Scope::Takes(request) => group.requests.iter().any(|m| m.id == request.as_str()),
        Scope::EveryBody => has_body,
    };
    for extra in extra.iter().filter(|e| applies(e.scope)) {
        let response = match extra.answer {
            Answer::Refusal => {
                let mut models: Vec<&Message> = Vec::new();
                for endpoint in &group.operations {
                    push_once(&mut models, endpoint.error.message());
                }
                model_response(&models, Some(extra.why))
            }
            Answer::Plain => json!({
                "description": extra.why,
                "content": {"text/plain": {"schema": {"type": "string"}}}
            }),
        };
        out.insert(extra.status, response);
    }
    Value::Object(out.into_iter().map(|(s, v)| (s.to_string(), v)).collect())
}

/// How each endpoint of the group says "no", from the API facts: `x-upi-refusal`, one entry
/// per request model.
fn refusals(group: &Group) -> Value {
    group.operations.iter().map(|e| refusal(e)).collect()
}

fn refusal(endpoint: &Operation) -> Value {
    let Refusal { client_error, ok_body } = &endpoint.refusal;
    let mut ways: Vec<String> = Vec::new();
    if *client_error {
        ways.push("any 4xx".to_string());
    }
    let mut entry = Map::new();
    entry.insert("request".into(), json!(endpoint.request.as_str()));
    entry.insert("clientError".into(), json!(client_error));
    if let Some(predicate) = ok_body {
        let (pointer, test, said) = match predicate {
            BodyPredicate::Present(at) => (*at, json!({"present": true}), "is present".to_string()),
            BodyPredicate::NotEqual(at, v) => (*at, json!({"notEqual": v}), format!("is not `{v}`")),
            BodyPredicate::Equals(at, v) => (*at, json!({"equals": v}), format!("is `{v}`")),
        };
        ways.push(format!("a 2xx whose JSON body's `{pointer}` {said}"));
        let mut body = Map::new();
        body.insert("pointer".into(), json!(pointer));
        body.extend(test.as_object().cloned().unwrap_or_default());
        entry.insert("okBody".into(), Value::Object(body));
    }
    entry.insert("model".into(), json!(endpoint.error.as_str()));
    if let Some(reason) = endpoint.reason_code {
        entry.insert("reasonCode".into(), json!(reason));
    }
    let mut description = format!("`{}` is refused with {}", endpoint.request, ways.join(", or "));
    if let Some(reason) = endpoint.reason_code {
        description.push_str(&format!("; `{reason}` says why"));
    }
    entry.insert("description".into(), json!(description));
    Value::Object(entry)
}

/// A Response Object whose body is one of `models` (`anyOf`: several response models may fit
/// one answer, e.g. a FAILURE answer fits every version's).
fn model_response(models: &[&Message], why: Option<&str>) -> Value {
    let mut lines: Vec<String> = why.map(str::to_string).into_iter().collect();
    for m in models {
        match m.request {
            Some(request) => lines.push(format!("`{}`: {} (answers `{request}`)", m.id, m.title)),
            None => lines.push(format!("`{}`: {}", m.id, m.title)),
        }
    }
    let mut content = Map::new();
    for m in models {
        let media = media_type(m.encoding);
        let refs = content
            .entry(media.to_string())
            .or_insert_with(|| json!({"schema": {"anyOf": []}}));
        refs["schema"]["anyOf"]
            .as_array_mut()
            .expect("anyOf is an array")
            .push(schema_ref(m.id));
    }
    for media in content.values_mut() {
        let refs = std::mem::take(media["schema"]["anyOf"].as_array_mut().expect("anyOf is an array"));
        media["schema"] = one_or("anyOf", refs);
    }
    let mut response = Map::new();
    response.insert("description".into(), json!(lines.join("; ")));
    let headers = response_headers(models);
    if !headers.is_empty() {
        response.insert("headers".into(), Value::Object(headers));
    }
    response.insert("content".into(), Value::Object(content));
    Value::Object(response)
}

/// Header Objects of the response models' headers (a header is required when every model
/// requires it).
fn response_headers(models: &[&Message]) -> Map<String, Value> {
    let mut out = Map::new();
    for m in models {
        for h in m.headers.iter().filter(|h| h.key.label() != "content-type") {
            let required = models.iter().all(|o| {
                o.headers
                    .iter()
                    .any(|x| x.key.label() == h.key.label() && x.presence == Presence::Mandatory)
            });
            out.entry(h.key.label().to_string())
                .or_insert_with(|| json!({"required": required, "schema": header_schema(m, h)}));
        }
    }
    out
}
