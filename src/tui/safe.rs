//! Applicant text made safe by a type, where it enters the TUI: a [`Safe<T>`] holds a
//! value every string of which (object keys too) went through
//! [`crate::domain::safe::sanitize`]. Views take `Safe` values, so no render site has to
//! remember to escape: what reaches the terminal cannot carry a control character.

use crate::domain::safe::sanitize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::ops::Deref;

#[derive(Debug, Clone, PartialEq)]
pub struct Safe<T>(T);

impl<T> Deref for Safe<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn clean(v: &mut Value) -> bool {
    match v {
        Value::String(s) => match sanitize(s) {
            std::borrow::Cow::Borrowed(_) => false,
            std::borrow::Cow::Owned(o) => {
                *s = o;
                true
            }
        },
        Value::Array(a) => a.iter_mut().fold(false, |c, x| clean(x) | c),
        Value::Object(m) => {
            let mut changed = false;
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let Some(mut x) = m.remove(&k) else { continue };
                changed |= clean(&mut x);
                let key = sanitize(&k).into_owned();
                changed |= key != k;
                m.insert(key, x);
            }
            changed
        }
        _ => false,
    }
}

impl<T: Serialize + DeserializeOwned> Safe<T> {
    /// Sanitize every string of `value`. A value with nothing to escape is kept as it is
    /// (no copy); one that cannot be shown safely is an error, never shown raw.
    pub fn new(value: T) -> Result<Safe<T>, String> {
        let mut v = serde_json::to_value(&value).map_err(|e| e.to_string())?;
        if !clean(&mut v) {
            return Ok(Safe(value));
        }
        serde_json::from_value(v)
            .map(Safe)
            .map_err(|e| format!("cannot be shown safely: {e}"))
    }
}

impl Safe<String> {
    /// A string to show: sanitized.
    pub fn text(s: &str) -> Safe<String> {
        Safe(sanitize(s).into_owned())
    }
}

impl<T> Safe<T> {
    pub fn into_inner(self) -> T {
        self.0
    }

    /// A part of a safe value (its strings were made safe with it).
    pub fn part<U>(&self, take: impl FnOnce(&T) -> &U) -> Safe<U>
    where
        U: Clone,
    {
        Safe(take(&self.0).clone())
    }

    /// Put a safe part into a safe value, without making the whole value safe again.
    pub fn put<U>(&mut self, part: Safe<U>, place: impl FnOnce(&mut T, U)) {
        place(&mut self.0, part.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
    struct Row {
        name: String,
        tags: Vec<String>,
        n: u32,
    }

    #[test]
    fn every_string_is_escaped_and_clean_values_kept() {
        let r = Row {
            name: "凌云\u{1b}]52;c;x\u{7}".into(),
            tags: vec!["a\u{202e}b".into()],
            n: 3,
        };
        let s = Safe::new(r).unwrap();
        assert!(!s.name.chars().any(crate::domain::safe::needs_escape));
        assert!(!s.tags[0].chars().any(crate::domain::safe::needs_escape));
        assert_eq!(s.n, 3);
        let clean = Row {
            name: "凌云".into(),
            tags: vec![],
            n: 1,
        };
        assert_eq!(*Safe::new(clean.clone()).unwrap(), clean);
        assert_eq!(*Safe::text("a\u{1b}b"), "a␛b");
    }
}
