use super::order::{FORMAT, Order};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Limits on one order document. Every one is checked before the order reaches the
/// rules, with an error naming the JSON path and the limit (README "Limits").
pub mod limits {
    /// Largest order document, in bytes of JSON text.
    pub const MAX_ORDER_BYTES: usize = 8 * 1024 * 1024;
    /// Deepest nesting of arrays and objects (an order needs 7; `previous` adds a few).
    pub const MAX_DEPTH: usize = 32;
    /// Longest string value or object key, in bytes of UTF-8.
    pub const MAX_STRING_BYTES: usize = 8 * 1024;
    /// Entries of `sites`.
    pub const MAX_SITES: usize = 100;
    /// Entries of one site's `domains`.
    pub const MAX_DOMAINS: usize = 200;
    /// Domains of all sites of an order together.
    pub const MAX_ORDER_DOMAINS: usize = 1_000;
    /// Entries of `materials`.
    pub const MAX_MATERIALS: usize = 200;
    /// Entries of `history`.
    pub const MAX_HISTORY: usize = 1_000;
    /// Entries of any other array (`ips`, `languages`, `reasons`, `platforms`, …).
    pub const MAX_OTHER_ARRAY: usize = 200;
    /// Members of one object (an order's objects have about twenty; unknown fields count).
    pub const MAX_OBJECT_MEMBERS: usize = 200;

    /// The limit on an array held under `key`, and the limit's name for messages.
    pub fn array_limit(key: Option<&str>) -> (usize, &'static str) {
        match key {
            Some("sites") => (MAX_SITES, "sites per order"),
            Some("domains") => (MAX_DOMAINS, "domains per site"),
            Some("materials") => (MAX_MATERIALS, "materials per order"),
            Some("history") => (MAX_HISTORY, "history events per order"),
            _ => (MAX_OTHER_ARRAY, "entries per list"),
        }
    }
}

/// Why an order could not be read. `path` is the JSON path of the offending value
/// (`.` when the problem is the document as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parse one order from JSON text. Besides the order's own shape this refuses duplicate
/// keys (a reader that keeps the first of two `status` keys would see another order than
/// one that keeps the last) and anything over the [`limits`].
pub fn parse_order(text: &str) -> Result<Order, ParseError> {
    let value = parse_strict(text)?;
    parse_order_value(value)
}

/// Decode JSON text into a value, refusing duplicate keys and anything over the
/// [`limits`] as soon as it is read (a 100,000-entry array is refused at entry 201,
/// not built first).
pub fn parse_strict(text: &str) -> Result<Value, ParseError> {
    if text.len() > limits::MAX_ORDER_BYTES {
        return Err(ParseError {
            path: ".".into(),
            message: format!(
                "the order is {} bytes, over the limit of {} MiB per order document",
                text.len(),
                limits::MAX_ORDER_BYTES / (1024 * 1024)
            ),
        });
    }
    let state = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Node {
        state: &state,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(state.error.into_inner().unwrap_or_else(|| ParseError {
            path: ".".into(),
            message: format!(
                "not valid JSON: {}",
                crate::domain::safe::message(&e.to_string())
            ),
        })),
    }
}

/// Where the strict reader is, and the first limit or duplicate it met.
#[derive(Default)]
struct State {
    path: RefCell<Vec<Segment>>,
    error: RefCell<Option<ParseError>>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl State {
    fn path(&self) -> String {
        path_string(&self.path.borrow())
    }

    fn last_key(&self) -> Option<String> {
        match self.path.borrow().last() {
            Some(Segment::Key(k)) => Some(k.clone()),
            _ => None,
        }
    }

    /// Record the first problem (with the current path) and give serde an error to stop on.
    fn fail<E: de::Error>(&self, message: String) -> E {
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(ParseError {
                path: self.path(),
                message,
            });
        }
        E::custom("order limit")
    }
}

fn path_string(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return ".".into();
    }
    let mut s = String::new();
    for seg in segments {
        match seg {
            // A plain key as `.key`; any other (empty, dots, spaces, controls) quoted.
            Segment::Key(k)
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&crate::domain::safe::excerpt(k));
            }
            Segment::Key(k) => {
                s.push_str("[\"");
                s.push_str(&crate::domain::safe::excerpt(k));
                s.push_str("\"]");
            }
            Segment::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    // Deep nesting of long keys: keep the path itself an excerpt.
    crate::domain::safe::excerpt_of(&s, 240)
}

fn string_too_long(len: usize) -> String {
    format!(
        "a string of {len} bytes, over the limit of {} bytes per string",
        limits::MAX_STRING_BYTES
    )
}

/// One JSON value being read by [`parse_strict`].
struct Node<'s> {
    state: &'s State,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if v.len() > limits::MAX_STRING_BYTES {
            return Err(self.state.fail(string_too_long(v.len())));
        }
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        if v.len() > limits::MAX_STRING_BYTES {
            return Err(self.state.fail(string_too_long(v.len())));
        }
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= limits::MAX_DEPTH {
            return Err(self.state.fail(format!(
                "nested deeper than the limit of {} levels",
                limits::MAX_DEPTH
            )));
        }
        let (max, what) = limits::array_limit(self.state.last_key().as_deref());
        let mut out = Vec::new();
        loop {
            let i = out.len();
            self.state.path.borrow_mut().push(Segment::Index(i));
            let next = seq.next_element_seed(Node {
                state: self.state,
                depth: self.depth + 1,
            });
            let next = match next {
                Ok(Some(_)) if i >= max => Err(self.state.fail(format!(
                    "more than {max} entries, over the limit of {max} {what}"
                ))),
                other => other,
            };
            self.state.path.borrow_mut().pop();
            match next? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= limits::MAX_DEPTH {
            return Err(self.state.fail(format!(
                "nested deeper than the limit of {} levels",
                limits::MAX_DEPTH
            )));
        }
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.state.path.borrow_mut().push(Segment::Key(key.clone()));
            let checked = if key.len() > limits::MAX_STRING_BYTES {
                Err(self.state.fail(string_too_long(key.len())))
            } else if out.contains_key(&key) {
                Err(self.state.fail(
                    "duplicate key: this member appears more than once in its object; \
                     a reader keeping the first would see another order than one keeping the last"
                        .to_string(),
                ))
            } else if out.len() >= limits::MAX_OBJECT_MEMBERS {
                Err(self.state.fail(format!(
                    "over the limit of {} members per object",
                    limits::MAX_OBJECT_MEMBERS
                )))
            } else {
                map.next_value_seed(Node {
                    state: self.state,
                    depth: self.depth + 1,
                })
            };
            self.state.path.borrow_mut().pop();
            out.insert(key, checked?);
        }
        Ok(Value::Object(out))
    }
}

/// The [`limits`] on a value that did not come through [`parse_strict`].
fn check_limits(value: &Value) -> Result<(), ParseError> {
    fn walk(v: &Value, path: &mut Vec<Segment>, depth: usize) -> Result<(), ParseError> {
        let fail = |path: &[Segment], message: String| ParseError {
            path: path_string(path),
            message,
        };
        match v {
            Value::String(s) if s.len() > limits::MAX_STRING_BYTES => {
                Err(fail(path, string_too_long(s.len())))
            }
            Value::Array(_) | Value::Object(_) if depth >= limits::MAX_DEPTH => Err(fail(
                path,
                format!(
                    "nested deeper than the limit of {} levels",
                    limits::MAX_DEPTH
                ),
            )),
            Value::Array(a) => {
                let key = match path.last() {
                    Some(Segment::Key(k)) => Some(k.as_str()),
                    _ => None,
                };
                let (max, what) = limits::array_limit(key);
                if a.len() > max {
                    path.push(Segment::Index(max));
                    let e = fail(
                        path,
                        format!("more than {max} entries, over the limit of {max} {what}"),
                    );
                    return Err(e);
                }
                for (i, x) in a.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(x, path, depth + 1)?;
                    path.pop();
                }
                Ok(())
            }
            Value::Object(m) => {
                if m.len() > limits::MAX_OBJECT_MEMBERS {
                    return Err(fail(
                        path,
                        format!(
                            "over the limit of {} members per object",
                            limits::MAX_OBJECT_MEMBERS
                        ),
                    ));
                }
                for (k, x) in m {
                    path.push(Segment::Key(k.clone()));
                    if k.len() > limits::MAX_STRING_BYTES {
                        return Err(fail(path, string_too_long(k.len())));
                    }
                    walk(x, path, depth + 1)?;
                    path.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(value, &mut Vec::new(), 0)
}

/// Parse one order from an already decoded JSON value.
pub fn parse_order_value(value: serde_json::Value) -> Result<Order, ParseError> {
    check_limits(&value)?;
    let Some(obj) = value.as_object() else {
        return Err(ParseError {
            path: ".".into(),
            message: "expected an order object".into(),
        });
    };
    match obj.get("format") {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(ParseError {
                path: "format".into(),
                message: format!(
                    "unsupported order format \"{}\"; this build reads {FORMAT:?}",
                    crate::domain::safe::excerpt(f)
                ),
            });
        }
        Some(_) => {
            return Err(ParseError {
                path: "format".into(),
                message: format!("expected the string {FORMAT:?}"),
            });
        }
        None => {
            return Err(ParseError {
                path: "format".into(),
                message: format!("missing field; expected {FORMAT:?}"),
            });
        }
    }
    let order: Order = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // A missing field is reported at its parent: name the field in the path.
        let (path, message) = match missing_field(&inner) {
            Some(field) if path == "." => (field.to_string(), "missing required field".to_string()),
            Some(field) => (
                format!("{path}.{field}"),
                "missing required field".to_string(),
            ),
            None => (path, crate::domain::safe::message(&inner)),
        };
        ParseError { path, message }
    })?;
    check_order_domains(&order, "")?;
    if let Some(prev) = &order.previous {
        check_order_domains(prev, "previous.")?;
    }
    if let Some(prev) = &order.previous
        && prev.format != FORMAT
    {
        return Err(ParseError {
            path: "previous.format".into(),
            message: format!(
                "unsupported order format \"{}\"",
                crate::domain::safe::excerpt(&prev.format)
            ),
        });
    }
    Ok(order)
}

/// The order-wide limit on domains ([`limits::MAX_ORDER_DOMAINS`]).
fn check_order_domains(order: &Order, prefix: &str) -> Result<(), ParseError> {
    let mut n = 0usize;
    for (i, site) in order.sites.iter().enumerate() {
        if n + site.domains.len() > limits::MAX_ORDER_DOMAINS {
            return Err(ParseError {
                path: format!(
                    "{prefix}sites[{i}].domains[{}]",
                    limits::MAX_ORDER_DOMAINS - n
                ),
                message: format!(
                    "more than {max} domains in the order, over the limit of {max} domains per order",
                    max = limits::MAX_ORDER_DOMAINS
                ),
            });
        }
        n += site.domains.len();
    }
    Ok(())
}

fn missing_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_format_is_named() {
        let e = parse_order(r#"{"format":"icp-order/2"}"#).unwrap_err();
        assert_eq!(e.path, "format");
        assert!(e.message.contains("icp-order/2"));
    }

    /// The text read and the read through a value agree; a repeated key is refused (not
    /// silently resolved either way) and a foreign format in `previous` is named.
    #[test]
    fn direct_and_value_reads_agree() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/spec/examples/clean-enterprise.json"
        ))
        .unwrap();
        let direct = parse_order(&text).unwrap();
        let via_value = parse_order_value(serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(direct, via_value);
        let repeated = text.replacen("\"account\"", "\"account\": \"first\", \"account\"", 1);
        assert_eq!(parse_order(&repeated).unwrap_err().path, "account");
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut prev = v.clone();
        prev["format"] = "icp-order/0".into();
        v["previous"] = prev;
        let e = parse_order(&v.to_string()).unwrap_err();
        assert_eq!(e.path, "previous.format");
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_path() {
        let e = parse_strict(r#"{"format":"icp-order/1","status":"approved","status":"pending"}"#)
            .unwrap_err();
        assert_eq!(e.path, "status");
        assert!(e.message.contains("duplicate key"), "{e}");
        let e =
            parse_strict(r#"{"sites":[{"a":1},{"leader":{"name":"x","name":"y"}}]}"#).unwrap_err();
        assert_eq!(e.path, "sites[1].leader.name");
        // Keys that are not plain names are quoted, so the path is never empty.
        let e = parse_strict(r#"{"":{"a b":1,"a b":2}}"#).unwrap_err();
        assert_eq!(e.path, r#"[""]["a b"]"#);
        // The same key in two different objects is fine.
        assert!(parse_strict(r#"{"a":{"name":1},"b":{"name":2}}"#).is_ok());
    }

    #[test]
    fn limits_name_the_path_and_the_limit() {
        let domains: Vec<String> = (0..=limits::MAX_DOMAINS)
            .map(|i| format!(r#"{{"name":"d{i}.cn"}}"#))
            .collect();
        let text = format!(r#"{{"sites":[{{"domains":[{}]}}]}}"#, domains.join(","));
        let e = parse_strict(&text).unwrap_err();
        assert_eq!(e.path, format!("sites[0].domains[{}]", limits::MAX_DOMAINS));
        assert!(e.message.contains("domains per site"), "{e}");
        // At the limit it is accepted.
        let ok = format!(
            r#"{{"sites":[{{"domains":[{}]}}]}}"#,
            domains[..limits::MAX_DOMAINS].join(",")
        );
        assert!(parse_strict(&ok).is_ok());

        let long = "x".repeat(limits::MAX_STRING_BYTES + 1);
        let e = parse_strict(&format!(r#"{{"subject":{{"name":"{long}"}}}}"#)).unwrap_err();
        assert_eq!(e.path, "subject.name");
        assert!(e.message.contains("per string"), "{e}");
        assert!(e.message.len() < 200);

        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let e = parse_strict(&format!(r#"{{"x":{deep}}}"#)).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");

        let big = format!(r#"{{"remarks":"{}"}}"#, "y".repeat(limits::MAX_ORDER_BYTES));
        let e = parse_strict(&big).unwrap_err();
        assert_eq!(e.path, ".");
        assert!(e.message.contains("MiB per order document"), "{e}");
    }

    #[test]
    fn values_that_did_not_come_through_the_strict_reader_are_limited_too() {
        let sites: Vec<Value> = (0..=limits::MAX_SITES).map(|_| Value::Null).collect();
        let v = serde_json::json!({"format": FORMAT, "sites": sites});
        let e = parse_order_value(v).unwrap_err();
        assert_eq!(e.path, format!("sites[{}]", limits::MAX_SITES));
        assert!(e.message.contains("sites per order"));
    }

    #[test]
    fn hostile_values_are_not_echoed_in_full() {
        let status = format!("\u{1b}]52;c;{}\u{7}\u{1b}[2J", "A".repeat(100_000));
        let text = serde_json::json!({"format": FORMAT, "status": status}).to_string();
        let e = parse_order(&text).unwrap_err();
        let shown = e.to_string();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(
            shown.chars().count() < 500,
            "{} chars",
            shown.chars().count()
        );
        let e = parse_order(&format!(
            r#"{{"format":"icp-order/\u001b[2J{}"}}"#,
            "z".repeat(5000)
        ))
        .unwrap_err();
        assert!(
            !e.message.contains('\u{1b}') && e.message.len() < 300,
            "{}",
            e.message
        );
    }

    #[test]
    fn not_json() {
        let e = parse_order("{").unwrap_err();
        assert_eq!(e.path, ".");
    }
}
