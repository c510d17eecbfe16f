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
pub fn parse_order(text: &str) -> Result<Order, ParseError> {
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

    #[test]
    fn not_json() {
        let e = parse_order("{").unwrap_err();
        assert_eq!(e.path, ".");
    }
}
