//! Rendering applicant strings safely: control characters and escape sequences never
//! reach the terminal or a log; they are shown as visible placeholders.
//!
//! What is escaped is decided by Unicode general category, not by a hand list: every
//! character of the categories Cc (controls: C0, DEL, C1), Cf (format: bidirectional
//! marks and overrides, zero-width characters, soft hyphen, BOM, …), Zl (line separator)
//! and Zp (paragraph separator).

use std::borrow::Cow;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Characters of an excerpt of an applicant value in a message ([`excerpt`]).
pub const EXCERPT_CHARS: usize = 80;

/// Replace every character [`needs_escape`] names by a visible placeholder. ESC becomes
/// `␛`, other C0 controls their Control Pictures glyph (U+2400 block), DEL `␡`, and
/// everything else `⟨U+XXXX⟩`.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c as u32 {
            0x00..=0x1F => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            0x7F => out.push('\u{2421}'),
            n => {
                use std::fmt::Write;
                let _ = write!(out, "⟨U+{n:04X}⟩");
            }
        }
    }
    Cow::Owned(out)
}

/// Characters that must never be written raw to a terminal: general categories Cc, Cf,
/// Zl and Zp.
pub fn needs_escape(c: char) -> bool {
    if c.is_ascii() {
        return (c as u32) < 0x20 || c == '\u{7f}';
    }
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// True when the string holds any character that [`sanitize`] would replace.
pub fn has_control(s: &str) -> bool {
    s.chars().any(needs_escape)
}

/// A value fit for a message: sanitized, and cut to `max_chars` characters of output
/// followed by `…` when longer (placeholders count with their length).
pub fn excerpt_of(s: &str, max_chars: usize) -> String {
    let safe = sanitize(s);
    let mut chars = safe.char_indices();
    match chars.nth(max_chars) {
        None => safe.into_owned(),
        Some((cut, _)) => {
            // Never leave half a placeholder: cut before an unfinished `⟨U+…⟩`.
            let head = &safe[..cut];
            let head = match (head.rfind('⟨'), head.rfind('⟩')) {
                (Some(open), close) if close.is_none_or(|c| c < open) => &head[..open],
                _ => head,
            };
            format!("{head}…")
        }
    }
}

/// [`excerpt_of`] with [`EXCERPT_CHARS`].
pub fn excerpt(s: &str) -> String {
    excerpt_of(s, EXCERPT_CHARS)
}

/// Longest message [`message`] lets through, in characters.
pub const MESSAGE_CHARS: usize = 400;

/// A message that may quote applicant values (a parser's or a store's error text):
/// sanitized, every quoted run (between backticks or double quotes) longer than
/// [`EXCERPT_CHARS`] cut to an excerpt, and the whole cut to [`MESSAGE_CHARS`].
pub fn message(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MESSAGE_CHARS * 4));
    let mut rest = s;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = &rest[open..open + 1];
        out.push_str(&sanitize(&rest[..open]));
        out.push_str(quote);
        let after = &rest[open + 1..];
        let (inner, tail) = match after.find(quote) {
            Some(close) => (&after[..close], Some(&after[close + 1..])),
            None => (after, None),
        };
        out.push_str(&excerpt(inner));
        match tail {
            Some(t) => {
                out.push_str(quote);
                rest = t;
            }
            None => rest = "",
        }
        if out.chars().count() > MESSAGE_CHARS {
            break;
        }
    }
    out.push_str(&sanitize(rest));
    excerpt_of(&out, MESSAGE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_visible() {
        assert_eq!(sanitize("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(sanitize("x\ny"), "x␊y");
        assert_eq!(sanitize("\u{9b}2J"), "⟨U+009B⟩2J");
        assert_eq!(sanitize("\u{202e}abc"), "⟨U+202E⟩abc");
        assert!(matches!(sanitize("深圳市"), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_and_separator_characters_are_escaped() {
        for c in [
            '\u{061C}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2028}',
            '\u{2029}',
            '\u{00AD}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{180E}',
        ] {
            assert!(needs_escape(c), "U+{:04X}", c as u32);
            assert!(
                sanitize(&c.to_string()).starts_with("⟨U+"),
                "U+{:04X}",
                c as u32
            );
        }
        // Ordinary letters, CJK, emoji, spaces and punctuation stay as they are.
        for c in ['a', '深', '·', ' ', '\u{3000}', '😀', '—', 'é'] {
            assert!(!needs_escape(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn excerpts_are_short_and_safe() {
        let long = "x".repeat(1_000_000);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("short"), "short");
        // A placeholder is never cut in half.
        let s = format!("{}\u{202e}tail", "a".repeat(78));
        let e = excerpt(&s);
        assert!(!e.contains("⟨U+20…"), "{e}");
        assert!(e.ends_with('…'));
    }

    #[test]
    fn messages_quote_excerpts_only() {
        let status = format!("\u{1b}]52;c;{}\u{7}\u{1b}[2J", "A".repeat(1_000_000));
        let m = message(&format!(
            "status: unknown variant `{status}`, expected one of `pending`, `approved`"
        ));
        assert!(m.contains("expected one of `pending`, `approved`"), "{m}");
        assert!(!m.contains('\u{1b}') && !m.contains('\u{7}'));
        assert!(m.chars().count() <= MESSAGE_CHARS + 1);
        let m = message(&"\u{1b}".repeat(10_000));
        assert!(m.chars().count() <= MESSAGE_CHARS + 1);
        assert!(!m.contains('\u{1b}'));
    }
}
