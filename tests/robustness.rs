//! Garbage in never panics: random JSON, mutated orders and random bytes go through
//! the parser, the rule engine and the material inspector.

mod common;
use common::*;
use icp_review::domain::parse_order;
use icp_review::material::inspect_bytes;
use icp_review::rules::MaterialState;
use proptest::prelude::*;
use serde_json::Value;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every scalar position of the clean sample (as JSON pointers).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| pointers(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

fn base() -> Value {
    serde_json::from_str(&std::fs::read_to_string(examples_dir().join("app-clean.json")).unwrap())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_json_never_panics(v in arb_json()) {
        let _ = parse_order(&v.to_string());
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,200}") {
        let _ = parse_order(&s);
    }

    /// Replace one field of a valid order by a random value or string: the parser either
    /// rejects it with a path or the engine checks it without panicking.
    #[test]
    fn mutated_orders_never_panic(pick in any::<prop::sample::Index>(), replacement in arb_json(), text in "\\PC{0,30}", as_text in any::<bool>()) {
        let mut v = base();
        let mut ptrs = Vec::new();
        pointers(&v, String::new(), &mut ptrs);
        let ptr = &ptrs[pick.index(ptrs.len())];
        *v.pointer_mut(ptr).unwrap() = if as_text { Value::String(text) } else { replacement };
        match parse_order(&v.to_string()) {
            Ok(order) => {
                let states = vec![MaterialState::NotChecked; order.materials.len()];
                let _ = check_with(&order, &states, std::slice::from_ref(&order));
            }
            Err(e) => prop_assert!(!e.path.is_empty() && !e.message.is_empty()),
        }
    }

    #[test]
    fn random_bytes_never_panic_the_inspector(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = inspect_bytes(&bytes);
    }
}

#[test]
fn hostile_values_in_every_string_field_are_checked_without_panic() {
    let hostile = [
        "",
        " ",
        "\u{1b}[2J",
        "\u{0}",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "x".repeat(10_000).as_str().to_owned().leak(),
        "99999999999999999999",
        "1900-02-30",
        "www.",
        ".",
        "..",
        "-",
        "+86",
        "@",
        "中国",
        "（）",
        "\u{202e}",
        "xn--",
        "::",
        "0.0.0.0/0",
    ];
    let v = base();
    let states = inspect(&parse_order(&v.to_string()).unwrap());
    let mut ptrs = Vec::new();
    pointers(&v, String::new(), &mut ptrs);
    for ptr in &ptrs {
        if !v.pointer(ptr).unwrap().is_string() {
            continue;
        }
        for h in hostile {
            let mut m = v.clone();
            *m.pointer_mut(ptr).unwrap() = Value::String(h.to_string());
            if let Ok(order) = parse_order(&m.to_string()) {
                // Material paths are really opened; other fields reuse the inspected bytes.
                let states = if ptr.ends_with("/file") {
                    inspect(&order)
                } else {
                    states.clone()
                };
                let _ = check_with(&order, &states, &[]);
            }
        }
    }
}
