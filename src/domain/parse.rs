use super::order::{FORMAT, Order};
use std::fmt;

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

/// Parse one order from JSON text.
///
/// A well-formed order is read straight into [`Order`]; anything else (or an order of
/// another format) is read again through a JSON value to name the path of the problem,
/// so both ways give the same answer and only bad input pays for the second.
pub fn parse_order(text: &str) -> Result<Order, ParseError> {
    if let Ok(order) = serde_json::from_str::<Order>(text)
        && order.format == FORMAT
        && order.previous.as_ref().is_none_or(|p| p.format == FORMAT)
    {
        return Ok(order);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ParseError {
        path: ".".into(),
        message: format!("not valid JSON: {e}"),
    })?;
    parse_order_value(value)
}

/// Parse one order from an already decoded JSON value.
pub fn parse_order_value(value: serde_json::Value) -> Result<Order, ParseError> {
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
                message: format!("unsupported order format {f:?}; this build reads {FORMAT:?}"),
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
            None => (path, inner),
        };
        ParseError { path, message }
    })?;
    if let Some(prev) = &order.previous
        && prev.format != FORMAT
    {
        return Err(ParseError {
            path: "previous.format".into(),
            message: format!("unsupported order format {:?}", prev.format),
        });
    }
    Ok(order)
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

    /// The direct read and the read through a value agree, including on input the direct
    /// read refuses (a repeated key: the value keeps the last) or accepts with a foreign
    /// format in `previous`.
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
        assert_eq!(parse_order(&repeated).unwrap().account, direct.account);
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut prev = v.clone();
        prev["format"] = "icp-order/0".into();
        v["previous"] = prev;
        let e = parse_order(&v.to_string()).unwrap_err();
        assert_eq!(e.path, "previous.format");
    }

    #[test]
    fn not_json() {
        let e = parse_order("{").unwrap_err();
        assert_eq!(e.path, ".");
    }
}
