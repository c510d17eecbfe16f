//! What goes to the terminal: ratatui's crossterm backend (ratatui-crossterm 0.1.2, the
//! newest release) moves the cursor before every cell that does not follow the previous
//! one by exactly one column, so after every double-width character (every Chinese
//! character) it writes a `MoveTo` to where the terminal's cursor already is: a third of
//! the bytes of a frame of Chinese text. Upstream fixed it by tracking the printed
//! symbol's width (ratatui#2721, not yet released); until a release carries it, this
//! writer sits between the backend and the terminal and drops exactly those moves.
//!
//! It follows the cursor through what the backend writes: a `MoveTo` sets it, printed
//! characters advance it by their width (the widths ratatui lays the screen out with),
//! colour and mode sequences leave it alone, and anything else makes it unknown. A `MoveTo`
//! is dropped only when the cursor is known to be at its target and the text printed since
//! the last move holds a wide character of the East Asian scripts (which every terminal
//! draws two columns wide). Emoji make the position unknown, so the move after them stays,
//! as the backend writes it (some terminals disagree on their width).
//!
//! Two more savings, both exact:
//! - a move within the row the cursor is on is written as a column move (`CSI n G`, 4–6
//!   bytes instead of 8–10): the column is absolute, so it does not depend on the widths
//!   printed before it;
//! - colour and attribute sequences (SGR) written back to back are merged into one, a
//!   colour the terminal already has is not sent again, and the bright colours 8–15 use
//!   their short codes (`90`–`97`, `100`–`107`, the same palette entries). The colours the
//!   terminal has are known only after this writer has set them; any sequence it does not
//!   know (a screen switch, a saved cursor) forgets them.
//! - a run of at least [`MIN_ERASE`] spaces printed in the default colours with no
//!   attribute (what a shorter line leaves behind it when the next order is shown) is
//!   erased (`CSI n X`, 4–5 bytes) instead of printed; the cursor, which erasing leaves
//!   where it was, is moved on (`CSI n G`) only if something is printed next without a
//!   move of its own. Erased cells are blanks in the default colours, as the spaces were.

use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// A colour as the terminal holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    Default,
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// The shortest run of spaces erased instead of printed: erasing costs 4–5 bytes, and the
/// cursor move after it 4–6 more when text follows on the same row.
pub const MIN_ERASE: u32 = 10;

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
    /// SGR parameters received and not written yet (merged into one sequence).
    sgr: Vec<String>,
    /// The terminal's foreground and background, when known.
    fg: Option<Colour>,
    bg: Option<Colour>,
    /// The SGR attributes on (bit n: attribute n, 1–9), when known.
    attrs: Option<u16>,
    /// Spaces received and not written yet, and where the first of them goes.
    spaces: u32,
    spaces_at: Option<(u32, u32)>,
    /// After an erase: the column (from 0) the cursor belongs at; the terminal's is at
    /// the erase's start.
    behind: Option<u32>,
    dropped: u64,
}

impl<W: Write> Wire<W> {
    pub fn new(inner: W) -> Self {
        Wire {
            inner,
            pending: Vec::new(),
            pos: None,
            wide_since_move: false,
            sgr: Vec::new(),
            fg: None,
            bg: None,
            attrs: None,
            spaces: 0,
            spaces_at: None,
            behind: None,
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
        // Spaces before it were printed in the colours before it.
        self.settle_spaces()?;
        let csi = seq.len() >= 3 && seq[1] == b'[';
        let last = seq[seq.len() - 1];
        if csi && last == b'm' {
            match std::str::from_utf8(&seq[2..seq.len() - 1]) {
                Ok(params) if params.bytes().all(|b| b.is_ascii_digit() || b == b';') => {
                    self.sgr.extend(params.split(';').map(str::to_string));
                    return Ok(());
                }
                _ => {
                    // Sub-parameters (`4:3`) or worse: pass on and forget the colours
                    // (an SGR leaves the cursor where it is).
                    self.flush_sgr()?;
                    self.fg = None;
                    self.bg = None;
                    self.attrs = None;
                    return self.inner.write_all(seq);
                }
            }
        }
        if csi && last == b'H' {
            let params = &seq[2..seq.len() - 1];
            let target = std::str::from_utf8(params).ok().and_then(|p| {
                let (r, c) = p.split_once(';')?;
                Some((c.parse::<u32>().ok()?, r.parse::<u32>().ok()?))
            });
            if let Some((c, r)) = target.filter(|(c, r)| *c >= 1 && *r >= 1) {
                let to = (c - 1, r - 1);
                // After an erase the terminal's cursor is not where `pos` says.
                let behind = self.behind.take().is_some();
                if !behind && self.wide_since_move && self.pos == Some(to) {
                    self.dropped += 1;
                } else if self.pos.is_some_and(|(_, y)| y == to.1) {
                    write!(self.inner, "\x1b[{c}G")?;
                } else {
                    self.inner.write_all(seq)?;
                }
                self.pos = Some(to);
                self.wide_since_move = false;
                return Ok(());
            }
        }
        self.flush_sgr()?;
        // Private modes (`?…h`, `?…l`) such as synchronized output and the cursor's
        // visibility leave the cursor and the colours as they are; anything else may move
        // the cursor or restore other colours (a screen switch, a restored cursor).
        let keeps = csi
            && seq[2] == b'?'
            && matches!(last, b'h' | b'l')
            && !{
                let p = &seq[3..seq.len() - 1];
                p == b"1049" || p == b"1047" || p == b"47" || p == b"1048"
            };
        if keeps {
            return self.inner.write_all(seq);
        }
        self.pass_unknown(seq)
    }

    /// Pass on bytes this writer does not follow: what it holds goes first (they may act
    /// where the cursor is), and it forgets what it knew of the cursor and the colours.
    fn pass_unknown(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.settle_spaces()?;
        self.flush_sgr()?;
        self.catch_up()?;
        self.pos = None;
        self.fg = None;
        self.bg = None;
        self.attrs = None;
        self.inner.write_all(bytes)
    }

    /// After an erase, put the terminal's cursor where the erased spaces would have left
    /// it.
    fn catch_up(&mut self) -> io::Result<()> {
        if let Some(col) = self.behind.take() {
            write!(self.inner, "\x1b[{}G", col + 1)?;
        }
        Ok(())
    }

    /// A printed space: held back, to be printed or erased with the rest of its run.
    fn space(&mut self) -> io::Result<()> {
        if self.spaces == 0 {
            self.flush_sgr()?;
            self.spaces_at = self.pos;
        }
        self.spaces += 1;
        self.printed(' ');
        Ok(())
    }

    /// Write the spaces held back: erased when the run is long, in the default colours
    /// without attributes, and on one row from a known place; else printed.
    fn settle_spaces(&mut self) -> io::Result<()> {
        let n = std::mem::take(&mut self.spaces);
        let at = self.spaces_at.take();
        if n == 0 {
            return Ok(());
        }
        self.catch_up()?;
        let plain = self.fg == Some(Colour::Default)
            && self.bg == Some(Colour::Default)
            && self.attrs == Some(0);
        match at {
            Some((x, y)) if plain && n >= MIN_ERASE && self.pos == Some((x + n, y)) => {
                write!(self.inner, "\x1b[{n}X")?;
                self.behind = Some(x + n);
            }
            _ => {
                for _ in 0..n {
                    self.inner.write_all(b" ")?;
                }
            }
        }
        Ok(())
    }

    /// Write the SGR parameters gathered so far as one sequence, without the colours the
    /// terminal already has.
    fn flush_sgr(&mut self) -> io::Result<()> {
        if self.sgr.is_empty() {
            return Ok(());
        }
        let params = std::mem::take(&mut self.sgr);
        let mut out: Vec<String> = Vec::new();
        // Colour changes are written once, after the last reset, in their shortest form.
        let (mut fg, mut bg) = (None::<Colour>, None::<Colour>);
        let mut i = 0;
        while i < params.len() {
            let p = params[i].as_str();
            let n: u32 = if p.is_empty() {
                0
            } else {
                p.parse().unwrap_or(u32::MAX)
            };
            i += 1;
            match n {
                0 => {
                    out.clear();
                    out.push("0".into());
                    (fg, bg) = (None, None);
                    self.fg = Some(Colour::Default);
                    self.bg = Some(Colour::Default);
                    self.attrs = Some(0);
                }
                1..=9 | 22..=25 | 27..=29 => {
                    let clear: u16 = match n {
                        22 => 0b110,
                        23 => 1 << 3,
                        24 => 1 << 4,
                        25 => 0b110_0000,
                        27 => 1 << 7,
                        28 => 1 << 8,
                        29 => 1 << 9,
                        _ => 0,
                    };
                    let set: u16 = if n <= 9 { 1 << n } else { 0 };
                    self.attrs = self.attrs.map(|a| (a & !clear) | set);
                    out.push(p.into());
                }
                30..=37 => fg = Some(Colour::Indexed((n - 30) as u8)),
                90..=97 => fg = Some(Colour::Indexed((n - 90 + 8) as u8)),
                39 => fg = Some(Colour::Default),
                40..=47 => bg = Some(Colour::Indexed((n - 40) as u8)),
                100..=107 => bg = Some(Colour::Indexed((n - 100 + 8) as u8)),
                49 => bg = Some(Colour::Default),
                38 | 48 | 58 => {
                    let at = i;
                    let colour = match params.get(i).map(String::as_str) {
                        Some("5") => {
                            i += 2;
                            params
                                .get(at + 1)
                                .and_then(|v| v.parse::<u8>().ok())
                                .map(Colour::Indexed)
                        }
                        Some("2") => {
                            i += 4;
                            let c =
                                |k: usize| params.get(at + k).and_then(|v| v.parse::<u8>().ok());
                            match (c(1), c(2), c(3)) {
                                (Some(r), Some(g), Some(b)) => Some(Colour::Rgb(r, g, b)),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    match (n, colour) {
                        (38, Some(c)) => fg = Some(c),
                        (48, Some(c)) => bg = Some(c),
                        (58, Some(c)) => out.push(colour_code(58, c)),
                        _ => {
                            // Not a form this writer knows: what came before goes first, the
                            // rest goes on as it came, and the colours are forgotten.
                            out.extend(fg.take().map(|c| colour_code(38, c)));
                            out.extend(bg.take().map(|c| colour_code(48, c)));
                            out.push(p.into());
                            out.extend(params[at..].iter().cloned());
                            self.fg = None;
                            self.bg = None;
                            i = params.len();
                        }
                    }
                }
                _ => {
                    // An attribute this writer does not follow.
                    self.attrs = None;
                    out.push(p.into());
                }
            }
        }
        if let Some(c) = fg
            && self.fg != Some(c)
        {
            out.push(colour_code(38, c));
            self.fg = Some(c);
        }
        if let Some(c) = bg
            && self.bg != Some(c)
        {
            out.push(colour_code(48, c));
            self.bg = Some(c);
        }
        if out.is_empty() {
            return Ok(());
        }
        write!(self.inner, "\x1b[{}m", out.join(";"))
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

/// The shortest SGR code of a colour: `which` is 38 (foreground), 48 (background) or 58
/// (underline).
fn colour_code(which: u32, c: Colour) -> String {
    match (which, c) {
        (38, Colour::Default) => "39".into(),
        (48, Colour::Default) => "49".into(),
        (_, Colour::Default) => "59".into(),
        (38, Colour::Indexed(n @ 8..=15)) => format!("{}", 90 + u32::from(n) - 8),
        (48, Colour::Indexed(n @ 8..=15)) => format!("{}", 100 + u32::from(n) - 8),
        (_, Colour::Indexed(n)) => format!("{which};5;{n}"),
        (_, Colour::Rgb(r, g, b)) => format!("{which};2;{r};{g};{b}"),
    }
}

/// Characters of the East Asian scripts that are wide everywhere (not emoji, not the
/// ambiguous-width symbols).
pub(crate) fn east_asian_wide(c: char) -> bool {
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

impl<W: Write> Wire<W> {
    /// Printed bytes: the colours gathered so far go first.
    fn text(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.settle_spaces()?;
        self.flush_sgr()?;
        self.catch_up()?;
        self.inner.write_all(bytes)
    }

    /// One complete UTF-8 character (or invalid bytes, which lose the position).
    fn character(&mut self, ch: &[u8]) -> io::Result<()> {
        self.text(ch)?;
        match std::str::from_utf8(ch).ok().and_then(|s| s.chars().next()) {
            Some(c) => self.printed(c),
            None => self.pos = None,
        }
        Ok(())
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
                        self.pass_unknown(&seq)?;
                    }
                } else if self.pending.len() == utf8_len(self.pending[0]) {
                    let ch = std::mem::take(&mut self.pending);
                    self.character(&ch)?;
                }
                continue;
            }
            let b = buf[i];
            if b == 0x1B || b >= 0x80 {
                self.text(&buf[plain_from..i])?;
                if b == 0x1B {
                    self.pending.push(b);
                    i += 1;
                } else {
                    let n = utf8_len(b);
                    if i + n <= buf.len() {
                        self.character(&buf[i..i + n])?;
                        i += n;
                    } else {
                        self.pending.extend_from_slice(&buf[i..]);
                        i = buf.len();
                    }
                }
                plain_from = i;
                continue;
            }
            if b == b' ' {
                self.text(&buf[plain_from..i])?;
                self.space()?;
                i += 1;
                plain_from = i;
                continue;
            }
            if self.spaces > 0 {
                self.settle_spaces()?;
            }
            self.printed(char::from(b));
            i += 1;
        }
        self.text(&buf[plain_from..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.settle_spaces()?;
        self.flush_sgr()?;
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.pass_unknown(&rest)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Line;

    use crate::tui::testterm;
    use ratatui::text::Text;

    /// Styled frames on a 20×3 screen, through the writer or straight.
    fn draw(frames: &[Vec<Line<'static>>], wire: bool) -> Vec<u8> {
        let frames: Vec<Text<'static>> = frames.iter().cloned().map(Text::from).collect();
        testterm::draw(&frames, 20, false, wire)
    }

    /// One line per frame, unstyled.
    fn frames(lines: &[&str], wire: bool) -> Vec<u8> {
        let frames: Vec<Vec<Line<'static>>> = lines
            .iter()
            .map(|l| vec![Line::from(l.to_string())])
            .collect();
        draw(&frames, wire)
    }

    fn screen(bytes: &[u8]) -> Vec<String> {
        testterm::chars(bytes, 20)
    }

    fn screen_cells(bytes: &[u8]) -> Vec<Vec<testterm::Cell>> {
        testterm::cells(bytes, 20)
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
    fn a_long_run_of_blanks_is_erased_and_the_screen_is_the_same() {
        // A long line, then a short one: the rest of the row turns blank.
        let lines = ["深圳市凌云数据科技有限", "张伟 x", "深圳市凌云数据科技有限"];
        let frames: Vec<Text<'static>> = lines.iter().map(|l| Text::from(l.to_string())).collect();
        // As in the binary: the shadow prints short gaps, so blanks come as runs.
        let plain = testterm::draw(&frames, 20, true, false);
        let wired = testterm::draw(&frames, 20, true, true);
        assert_eq!(screen_cells(&plain), screen_cells(&wired), "the same cells");
        let text = String::from_utf8_lossy(&wired);
        assert!(text.contains('X'), "erased: {text:?}");
        assert!(wired.len() < plain.len());
    }

    #[test]
    fn blanks_in_a_colour_or_short_runs_are_printed_and_text_after_an_erase_is_placed() {
        let out = |input: &[u8]| {
            let mut w = Wire::new(Vec::new());
            w.write_all(input).unwrap();
            w.flush().unwrap();
            String::from_utf8(w.get_ref().clone()).unwrap()
        };
        let spaces = " ".repeat(12);
        // Default colours, no attribute: erased, then the cursor is moved on for `a`.
        let erased = out(format!("\x1b[0m\x1b[1;3H{spaces}a").as_bytes());
        assert!(erased.ends_with("\x1b[12X\x1b[15Ga"), "{erased:?}");
        // A background colour: printed (erasing would not keep it everywhere).
        let red = out(format!("\x1b[0m\x1b[41m\x1b[1;3H{spaces}a").as_bytes());
        assert!(red.contains(&format!("{spaces}a")), "{red:?}");
        // Reverse video on: printed.
        let rev = out(format!("\x1b[0m\x1b[7m\x1b[1;3H{spaces}a").as_bytes());
        assert!(rev.contains(&format!("{spaces}a")), "{rev:?}");
        // ... and off again: erased.
        let off = out(format!("\x1b[0m\x1b[7m\x1b[27m\x1b[1;3H{spaces}a").as_bytes());
        assert!(off.contains("\x1b[12X"), "{off:?}");
        // Colours not known yet (no reset seen): printed.
        let unknown = out(format!("\x1b[1;3H{spaces}a").as_bytes());
        assert!(unknown.contains(&format!("{spaces}a")), "{unknown:?}");
        // A short run: printed.
        let short = out(b"\x1b[0m\x1b[1;3H     a");
        assert!(short.ends_with("     a"), "{short:?}");
        // A move after an erase is never dropped as redundant.
        let moved = out(format!("\x1b[0m\x1b[1;1H张{spaces}\x1b[1;15H张").as_bytes());
        assert!(moved.contains("\x1b[12X\x1b[15G张"), "{moved:?}");
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

    #[test]
    fn styled_frames_look_the_same_in_fewer_bytes() {
        use ratatui::style::{Color, Modifier, Style};
        use ratatui::text::Span;
        let grey = Style::new().fg(Color::DarkGray);
        let pick = Style::new()
            .fg(Color::White)
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD);
        let warn = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
        let rgb = Style::new()
            .fg(Color::Rgb(10, 20, 30))
            .bg(Color::Indexed(200));
        let frame = |a: &'static str, b: &'static str, c: &'static str| {
            vec![
                Line::from(vec![Span::styled("主体: ", grey), Span::raw(a)]),
                Line::from(vec![Span::styled("▶", pick), Span::styled(b, pick)]),
                Line::from(vec![
                    Span::styled("✖", warn),
                    Span::raw(" "),
                    Span::styled(c, rgb),
                    Span::styled("x", Style::new().add_modifier(Modifier::REVERSED)),
                ]),
            ]
        };
        let frames = [
            frame("广州南沙港联", "DEMO-0024 GD", "超时9个工作日"),
            frame("青岛 abc", "DEMO-0025  SD", "还剩3小时"),
            frame("", "DEMO-0026 广东", "ok"),
            frame("北京市海淀区中关村", "x", "超时10个工作日"),
        ];
        for n in 1..=frames.len() {
            let plain = draw(&frames[..n], false);
            let wired = draw(&frames[..n], true);
            assert_eq!(
                screen_cells(&plain),
                screen_cells(&wired),
                "frame {n}: the same cells"
            );
            assert!(
                wired.len() < plain.len(),
                "frame {n}: {} vs {}",
                wired.len(),
                plain.len()
            );
        }
    }

    #[test]
    fn colours_merge_and_known_colours_are_not_sent_again() {
        let mut out = Vec::new();
        {
            let mut w = Wire::new(&mut out);
            w.write_all(b"\x1b[1;1H\x1b[38;5;8m\x1b[49ma\x1b[22m\x1b[38;5;8;49mb")
                .unwrap();
            w.write_all(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l")
                .unwrap();
            w.write_all(b"\x1b[38;5;1;48;2;1;2;3mc\x1b[1;5H\x1b[2;5H")
                .unwrap();
            w.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[1;1H\x1b[90;49ma\x1b[22mb\x1b[0m\x1b[?25l\x1b[38;5;1;48;2;1;2;3mc\x1b[5G\x1b[2;5H"
        );
    }

    #[test]
    fn a_screen_switch_forgets_the_colours() {
        let mut out = Vec::new();
        {
            let mut w = Wire::new(&mut out);
            w.write_all(b"\x1b[1;1H\x1b[31ma\x1b[?1049l\x1b[31mb\x1b[38;5;300mc")
                .unwrap();
            w.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[1;1H\x1b[38;5;1ma\x1b[?1049l\x1b[38;5;1mb\x1b[38;5;300mc"
        );
    }
}
