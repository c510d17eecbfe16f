//! What goes to the terminal: ratatui's crossterm backend (ratatui-crossterm 0.1.2, the
//! newest release) moves the cursor before every cell that does not follow the previous
//! one by exactly one column, so after every double-width character (every Chinese
//! character) it writes a `MoveTo` to where the terminal's cursor already is: a third of
//! the bytes of a frame of Chinese text. Upstream fixed it by tracking the printed
//! symbol's width (ratatui#2721, not yet released); until a release carries it, this
//! writer sits between the backend and the terminal and drops exactly those moves.
//!
//! It follows the cursor through what the backend writes: a `MoveTo` sets it, printed
//! characters advance it by their width, colour and mode sequences leave it alone, and
//! anything else makes it unknown. A `MoveTo` is dropped only when the cursor is known to
//! be at its target and the text printed since the last move holds a wide character of
//! the East Asian scripts (which every terminal draws two columns wide). Emoji and
//! ambiguous-width symbols make the position unknown, so the move after them stays, as the
//! backend writes it (some terminals disagree on their width).

use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// A writer that drops the backend's redundant cursor moves (see the module).
#[derive(Debug)]
pub struct Wire<W: Write> {
    inner: W,
    /// An escape sequence or UTF-8 character not complete yet.
    pending: Vec<u8>,
    /// Where the cursor is (column, row; from 0), when known.
    pos: Option<(u32, u32)>,
    /// A wide East Asian character was printed since the last move.
    wide_since_move: bool,
    dropped: u64,
}

impl<W: Write> Wire<W> {
    pub fn new(inner: W) -> Self {
        Wire {
            inner,
            pending: Vec::new(),
            pos: None,
            wide_since_move: false,
            dropped: 0,
        }
    }

    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// Cursor moves dropped so far.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// A complete escape sequence: write it (or drop a redundant move) and follow the cursor.
    fn sequence(&mut self, seq: &[u8]) -> io::Result<()> {
        let csi = seq.len() >= 3 && seq[1] == b'[';
        let last = seq[seq.len() - 1];
        if csi && last == b'H' {
            let params = &seq[2..seq.len() - 1];
            let target = std::str::from_utf8(params).ok().and_then(|p| {
                let (r, c) = p.split_once(';')?;
                Some((c.parse::<u32>().ok()?, r.parse::<u32>().ok()?))
            });
            if let Some((c, r)) = target.filter(|(c, r)| *c >= 1 && *r >= 1) {
                let to = (c - 1, r - 1);
                if self.wide_since_move && self.pos == Some(to) {
                    self.dropped += 1;
                } else {
                    self.inner.write_all(seq)?;
                }
                self.pos = Some(to);
                self.wide_since_move = false;
                return Ok(());
            }
        }
        // Colours and attributes (`m`) and private modes (`?…h`, `?…l`) leave the cursor
        // where it is; anything else may move it.
        let keeps = csi && (last == b'm' || (seq[2] == b'?' && matches!(last, b'h' | b'l')));
        if !keeps {
            self.pos = None;
        }
        self.inner.write_all(seq)
    }

    /// A printed character: advance the cursor by its width.
    fn printed(&mut self, c: char) {
        let Some((x, y)) = self.pos else {
            return;
        };
        if c.is_control() {
            self.pos = None;
            return;
        }
        match c.width() {
            Some(2) if east_asian_wide(c) => {
                self.wide_since_move = true;
                self.pos = Some((x + 2, y));
            }
            Some(w @ 0..=1) => self.pos = Some((x + w as u32, y)),
            _ => self.pos = None,
        }
    }
}

/// Characters of the East Asian scripts that are wide everywhere (not emoji, not the
/// ambiguous-width symbols).
fn east_asian_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Whether `seq` (starting with ESC) is a complete escape sequence.
fn complete(seq: &[u8]) -> bool {
    match seq.get(1) {
        None => false,
        Some(b'[') => seq.len() >= 3 && (0x40..=0x7E).contains(&seq[seq.len() - 1]),
        Some(_) => true,
    }
}

/// Length of a UTF-8 character from its first byte.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

impl<W: Write> Write for Wire<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut i = 0;
        let mut plain_from = 0;
        while i < buf.len() {
            if !self.pending.is_empty() {
                self.pending.push(buf[i]);
                i += 1;
                plain_from = i;
                if self.pending[0] == 0x1B {
                    if complete(&self.pending) {
                        let seq = std::mem::take(&mut self.pending);
                        self.sequence(&seq)?;
                    } else if self.pending.len() > 64 {
                        // Not a sequence this writer knows: pass it on as it is.
                        let seq = std::mem::take(&mut self.pending);
                        self.pos = None;
                        self.inner.write_all(&seq)?;
                    }
                } else if self.pending.len() == utf8_len(self.pending[0]) {
                    let ch = std::mem::take(&mut self.pending);
                    self.inner.write_all(&ch)?;
                    match std::str::from_utf8(&ch).ok().and_then(|s| s.chars().next()) {
                        Some(c) => self.printed(c),
                        None => self.pos = None,
                    }
                }
                continue;
            }
            let b = buf[i];
            if b == 0x1B || b >= 0x80 {
                self.inner.write_all(&buf[plain_from..i])?;
                if b == 0x1B {
                    self.pending.push(b);
                    i += 1;
                } else {
                    let n = utf8_len(b);
                    if i + n <= buf.len() {
                        let ch = &buf[i..i + n];
                        self.inner.write_all(ch)?;
                        match std::str::from_utf8(ch).ok().and_then(|s| s.chars().next()) {
                            Some(c) => self.printed(c),
                            None => self.pos = None,
                        }
                        i += n;
                    } else {
                        self.pending.extend_from_slice(&buf[i..]);
                        i = buf.len();
                    }
                }
                plain_from = i;
                continue;
            }
            self.printed(char::from(b));
            i += 1;
        }
        self.inner.write_all(&buf[plain_from..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.pos = None;
            self.inner.write_all(&rest)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::text::Line;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    /// The bytes of drawing `lines` one after the other (each a frame) on a 20×3 screen,
    /// through the writer or straight.
    fn frames(lines: &[&str], wire: bool) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let sink: Box<dyn Write> = if wire {
                Box::new(Wire::new(&mut out))
            } else {
                Box::new(&mut out)
            };
            let backend = CrosstermBackend::new(sink);
            let mut t = Terminal::with_options(
                backend,
                TerminalOptions {
                    viewport: Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 20, 3)),
                },
            )
            .unwrap();
            for l in lines {
                t.draw(|f| f.render_widget(Line::from(*l), f.area()))
                    .unwrap();
            }
            t.backend_mut().flush().unwrap();
        }
        out
    }

    /// A tiny terminal: a grid, the cursor, `ESC[r;cH` moves, wide characters take two
    /// columns, other sequences ignored.
    fn screen(bytes: &[u8]) -> Vec<String> {
        let mut grid = vec![vec![' '; 20]; 3];
        let (mut x, mut y) = (0usize, 0usize);
        let s = String::from_utf8_lossy(bytes);
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\u{1b}' {
                let mut seq = String::new();
                for n in it.by_ref() {
                    seq.push(n);
                    if seq.len() > 1 && ('@'..='~').contains(&n) {
                        break;
                    }
                }
                if let Some(p) = seq.strip_prefix('[').and_then(|p| p.strip_suffix('H'))
                    && let Some((r, col)) = p.split_once(';')
                {
                    y = r.parse::<usize>().unwrap() - 1;
                    x = col.parse::<usize>().unwrap() - 1;
                }
                continue;
            }
            let w = c.width().unwrap_or(0);
            if w == 0 || y >= 3 || x >= 20 {
                continue;
            }
            grid[y][x] = c;
            if w == 2 && x + 1 < 20 {
                grid[y][x + 1] = '\u{0}';
            }
            x += w;
        }
        grid.into_iter()
            .map(|r| r.into_iter().filter(|c| *c != '\u{0}').collect())
            .collect()
    }

    #[test]
    fn chinese_text_without_a_move_per_character_and_the_same_screen() {
        let lines = ["张伟 审核 ▶ 订单", "李娜 ✔ 通过 abc", "王芳🚀下一个"];
        let plain = frames(&lines, false);
        let wired = frames(&lines, true);
        assert_eq!(screen(&plain), screen(&wired), "the same screen");
        assert!(
            wired.len() * 10 < plain.len() * 8,
            "at least a fifth fewer bytes: {} vs {}",
            wired.len(),
            plain.len()
        );
    }

    #[test]
    fn moves_after_emoji_and_ambiguous_symbols_stay() {
        let mut w = Wire::new(Vec::new());
        // After a CJK character at column 0, a move to column 2 is redundant.
        w.write_all(b"\x1b[1;1H").unwrap();
        w.write_all("张".as_bytes()).unwrap();
        w.write_all(b"\x1b[1;3H").unwrap();
        assert_eq!(w.dropped(), 1);
        // After an emoji, the move stays (terminals disagree on its width).
        w.write_all("🚀".as_bytes()).unwrap();
        w.write_all(b"\x1b[1;5H").unwrap();
        assert_eq!(w.dropped(), 1);
        // A move to somewhere else after a CJK character stays.
        w.write_all("张".as_bytes()).unwrap();
        w.write_all(b"\x1b[2;1H").unwrap();
        assert_eq!(w.dropped(), 1);
        // Colours between do not lose the position; a clear does.
        w.write_all("张".as_bytes()).unwrap();
        w.write_all(b"\x1b[38;5;1m").unwrap();
        w.write_all(b"\x1b[2;3H").unwrap();
        assert_eq!(w.dropped(), 2);
        w.write_all("张".as_bytes()).unwrap();
        w.write_all(b"\x1b[2J").unwrap();
        w.write_all(b"\x1b[2;5H").unwrap();
        assert_eq!(w.dropped(), 2);
        // Sequences and characters split across writes.
        w.write_all(b"\x1b[2;1H").unwrap();
        let zhang = "张".as_bytes();
        w.write_all(&zhang[..1]).unwrap();
        w.write_all(&zhang[1..]).unwrap();
        w.write_all(b"\x1b[2").unwrap();
        w.write_all(b";3H").unwrap();
        assert_eq!(w.dropped(), 3);
    }
}
