//! Rendering applicant strings safely: control characters and escape sequences never
//! reach the terminal; they are shown as visible placeholders.

use std::borrow::Cow;

/// Replace every control character (C0, DEL, C1) and bidi/format override by a visible
/// placeholder. ESC becomes `␛`, other C0 controls their Control Pictures glyph
/// (U+2400 block), C1 and bidi controls `�`-style escapes `⟨U+XXXX⟩`.
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

/// Characters that must never be written raw to a terminal.
pub fn needs_escape(c: char) -> bool {
    let n = c as u32;
    n < 0x20
        || (0x7F..=0x9F).contains(&n)
        || matches!(n, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF | 0xFFF9..=0xFFFB)
}

/// True when the string holds any character that [`sanitize`] would replace.
pub fn has_control(s: &str) -> bool {
    s.chars().any(needs_escape)
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
}
