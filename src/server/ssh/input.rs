//! Keys from the bytes of an SSH channel. crossterm reads only its own terminal, so the
//! bytes the client's terminal sends are parsed here with terminput (crossterm's parser,
//! extracted) and turned into crossterm's key events, which the app already understands.
//!
//! A lone Esc is ambiguous: it is the Esc key, or the first byte of a sequence (an arrow
//! key: `ESC [ A`) whose rest is still on its way. An Esc at the end of what arrived is
//! held for [`ESC_WAIT`]; when nothing follows in that time it is the Esc key.

use crate::tui::action::Action;
use std::time::Duration;

/// How long a lone Esc waits for the rest of a sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(40);

/// The longest sequence kept while waiting for its end (anything longer is not a key).
const MAX_PENDING: usize = 64;

/// Bytes in, keys out.
#[derive(Debug, Default)]
pub struct KeyReader {
    pending: Vec<u8>,
}

impl KeyReader {
    pub fn new() -> KeyReader {
        KeyReader::default()
    }

    /// The keys in `bytes` (with what was pending before them). Bytes that do not make
    /// a key are dropped; an incomplete sequence waits for the next bytes.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Action>) {
        for (i, &b) in bytes.iter().enumerate() {
            self.pending.push(b);
            let more = i + 1 < bytes.len();
            // An Esc with bytes right behind it starts a sequence (or is Alt+key).
            if self.pending == [0x1b] && more {
                continue;
            }
            if self.pending == [0x1b] {
                // At the end of what arrived: wait (see `flush`).
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(ev)) => {
                    self.pending.clear();
                    if let Some(a) = to_action(ev) {
                        out.push(a);
                    }
                }
                Ok(None) if self.pending.len() < MAX_PENDING => {}
                Ok(None) | Err(_) => self.pending.clear(),
            }
        }
    }

    /// Whether a lone Esc is waiting (call [`KeyReader::flush`] after [`ESC_WAIT`]).
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Nothing more came: a waiting Esc is the Esc key (anything else half-made is
    /// dropped).
    pub fn flush(&mut self, out: &mut Vec<Action>) {
        if self.pending == [0x1b]
            && let Ok(Some(ev)) = terminput::Event::parse_from(&[0x1b])
            && let Some(a) = to_action(ev)
        {
            out.push(a);
        }
        self.pending.clear();
    }
}

fn to_action(ev: terminput::Event) -> Option<Action> {
    let ev = terminput_crossterm::to_crossterm(ev).ok()?;
    crate::tui::from_event(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn keys(chunks: &[&[u8]]) -> Vec<(KeyCode, KeyModifiers)> {
        let mut r = KeyReader::new();
        let mut out = Vec::new();
        for c in chunks {
            r.feed(c, &mut out);
        }
        r.flush(&mut out);
        out.into_iter()
            .filter_map(|a| match a {
                Action::Key(k) => Some((k.code, k.modifiers)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plain_keys_enter_and_chinese_text() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            keys(&[b"jk\r"]),
            vec![
                (KeyCode::Char('j'), none),
                (KeyCode::Char('k'), none),
                (KeyCode::Enter, none)
            ]
        );
        assert_eq!(keys(&["王".as_bytes()]), vec![(KeyCode::Char('王'), none)]);
        // A character split across two packets.
        let b = "芳".as_bytes();
        assert_eq!(keys(&[&b[..1], &b[1..]]), vec![(KeyCode::Char('芳'), none)]);
        assert_eq!(
            keys(&[b"\x03"]),
            vec![(KeyCode::Char('c'), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            keys(&[b"G"]),
            vec![(KeyCode::Char('G'), KeyModifiers::SHIFT)]
        );
    }

    #[test]
    fn sequences_split_across_packets_and_a_lone_esc() {
        let none = KeyModifiers::NONE;
        assert_eq!(keys(&[b"\x1b[A"]), vec![(KeyCode::Up, none)]);
        // The Esc of an arrow key arrives alone: it waits, and the rest completes it.
        let mut r = KeyReader::new();
        let mut out = Vec::new();
        r.feed(b"\x1b", &mut out);
        assert!(out.is_empty() && r.waiting());
        r.feed(b"[B", &mut out);
        assert!(matches!(&out[..], [Action::Key(k)] if k.code == KeyCode::Down));
        // A lone Esc with nothing after it is the Esc key once the wait is over.
        let mut out = Vec::new();
        r.feed(b"\x1b", &mut out);
        assert!(out.is_empty());
        r.flush(&mut out);
        assert!(matches!(&out[..], [Action::Key(k)] if k.code == KeyCode::Esc));
        // Esc then a key in one packet is Alt+key, not two keys.
        assert_eq!(
            keys(&[b"\x1bj"]),
            vec![(KeyCode::Char('j'), KeyModifiers::ALT)]
        );
    }

    #[test]
    fn garbage_is_dropped_and_the_next_key_still_reads() {
        let got = keys(&[
            b"\x1b[999999999999999999999999999999999999999999999999999999999999999999999x",
            b"j",
        ]);
        assert_eq!(got.last(), Some(&(KeyCode::Char('j'), KeyModifiers::NONE)));
        let got = keys(&[&[0xff, 0xfe], b"k"]);
        assert_eq!(got, vec![(KeyCode::Char('k'), KeyModifiers::NONE)]);
    }
}
