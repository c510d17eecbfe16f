//! A one-line text field (search, command line, notes, reason texts, call fields). Its
//! editing keys come from the keymap's `[input]` layer; printable characters are typed.

use super::command::Command;
use super::keymap::{Keymap, Layer};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthChar;

/// A key that types a character into a text field.
pub fn types(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(c) if !c.is_control())
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl Input {
    pub fn with(text: &str) -> Input {
        Input {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn set(&mut self, text: &str) {
        *self = Input::with(text);
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Apply an editing command; false for commands that are not editing.
    pub fn apply(&mut self, cmd: &Command) -> bool {
        let len = self.text.chars().count();
        match cmd {
            Command::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Command::CursorRight => self.cursor = (self.cursor + 1).min(len),
            Command::LineStart => self.cursor = 0,
            Command::LineEnd => self.cursor = len,
            Command::DeleteBack => {
                if self.cursor > 0 {
                    let at = self.byte_at(self.cursor - 1);
                    self.text.remove(at);
                    self.cursor -= 1;
                }
            }
            Command::DeleteForward => {
                if self.cursor < len {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Command::KillLine => {
                let at = self.byte_at(self.cursor);
                self.text.drain(..at);
                self.cursor = 0;
            }
            _ => return false,
        }
        true
    }

    /// Type the key's character if it is one a text field takes (printable, no ctrl or
    /// alt). False for every other key.
    pub fn type_key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Char(c) if types(key) => {
                self.insert(c);
                true
            }
            _ => false,
        }
    }

    /// Type or edit with a key: a printable character is typed, an `[input]` binding
    /// edits. False for keys the field does not use (the dialog's own layer gets them).
    pub fn handle(&mut self, key: &KeyEvent, km: &Keymap) -> bool {
        if self.type_key(key) {
            return true;
        }
        match km.lookup(Layer::Input, key) {
            Some(cmd) => {
                let cmd = cmd.clone();
                self.apply(&cmd)
            }
            None => false,
        }
    }

    /// The part of the text to draw in `width` columns so the cursor stays visible:
    /// (visible text, cursor column within it). The text is already safe to show.
    pub fn window(&self, width: usize) -> (String, usize) {
        let chars: Vec<char> = self.text.chars().collect();
        let w = |c: &char| c.width().unwrap_or(1);
        let width = width.max(2);
        // Start so that text[start..cursor] fits with one column left for the cursor.
        let mut start = self.cursor;
        let mut used = 1;
        while start > 0 && used + w(&chars[start - 1]) <= width {
            start -= 1;
            used += w(&chars[start]);
        }
        let cursor_col: usize = chars[start..self.cursor].iter().map(w).sum();
        let mut shown = String::new();
        let mut cols = 0;
        // One column is the cursor mark's.
        for c in &chars[start..] {
            if cols + w(c) > width - 1 {
                break;
            }
            cols += w(c);
            shown.push(*c);
        }
        (shown, cursor_col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_cjk_by_character() {
        let mut i = Input::default();
        for c in "凌云x".chars() {
            i.insert(c);
        }
        i.apply(&Command::CursorLeft);
        i.apply(&Command::DeleteBack);
        assert_eq!(i.text(), "凌x");
        assert_eq!(i.cursor(), 1);
        i.apply(&Command::KillLine);
        assert_eq!(i.text(), "x");
    }

    #[test]
    fn the_window_follows_the_cursor_past_the_box_width() {
        let mut i = Input::default();
        for c in "the applicant confirmed the licence by phone".chars() {
            i.insert(c);
        }
        let (shown, col) = i.window(20);
        assert!(shown.ends_with("by phone"), "{shown}");
        assert_eq!(col, shown.chars().count());
        assert!(col < 20);
        i.apply(&Command::LineStart);
        let (shown, col) = i.window(20);
        assert!(shown.starts_with("the applicant"), "{shown}");
        assert_eq!(col, 0);
        let mut z = Input::default();
        for c in "中文中文中文中文中文中文中文".chars() {
            z.insert(c);
        }
        let (shown, col) = z.window(10);
        assert!(col <= 9, "{shown} {col}");
    }
}
