//! Short gaps printed instead of jumped. ratatui sends only the cells that changed, and
//! the crossterm backend moves the cursor over every run of unchanged cells, however short:
//! clearing a line of Chinese text writes a space, jumps one column (the second half of the
//! old wide character, already blank), writes a space, jumps again… A jump costs 4–10
//! bytes; printing the one or two cells it skips costs 1–3.
//!
//! [`Shadowed`] sits between ratatui and the backend and keeps a copy of what the terminal
//! shows (every cell drawn since the last clear). When two updates on one row are
//! separated by a few unchanged cells that are plain text in the style of the cell before
//! the gap, and printing them is cheaper than the move, it sends them along: the terminal
//! reprints what it already shows and the cursor arrives where the next update starts.
//! Cells it is unsure of (pictures, emoji, control sequences, anything after a partial
//! clear) are never reprinted; there the move stays.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthStr;

/// A backend that prints short unchanged gaps instead of moving over them (see the module).
#[derive(Debug)]
pub struct Shadowed<B: Backend> {
    inner: B,
    /// What the terminal shows, when known.
    shadow: Option<Buffer>,
    /// The terminal's size when the backend cannot ask (a terminal over SSH: its size
    /// comes from the client's pty request and window changes).
    fixed: Option<Size>,
}

impl<B: Backend> Shadowed<B> {
    /// The terminal is taken to be blank at the start, as ratatui takes it.
    pub fn new(inner: B) -> Self {
        let shadow = inner
            .size()
            .ok()
            .map(|s| Buffer::empty(Rect::new(0, 0, s.width, s.height)));
        Shadowed {
            inner,
            shadow,
            fixed: None,
        }
    }

    /// A backend whose terminal is `size`, whatever the backend would measure.
    pub fn with_size(inner: B, size: Size) -> Self {
        Shadowed {
            inner,
            shadow: Some(Buffer::empty(Rect::new(0, 0, size.width, size.height))),
            fixed: Some(size),
        }
    }

    /// The terminal was resized (only for a backend made [`Shadowed::with_size`]).
    pub fn set_size(&mut self, size: Size) {
        if self.fixed.is_some() {
            self.fixed = Some(size);
        }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    /// The updates to send: `updates` with the gaps worth printing filled from the shadow.
    fn filled(&self, updates: &[(u16, u16, Cell)]) -> Vec<(u16, u16, Cell)> {
        let mut out: Vec<(u16, u16, Cell)> = Vec::with_capacity(updates.len());
        for (x, y, cell) in updates {
            if let (Some(shadow), Some((px, py, prev))) = (&self.shadow, out.last())
                && *py == *y
            {
                let from = px + cell_width(prev);
                if from < *x
                    && let Some(gap) = gap_cells(shadow, from, *x, *y, prev)
                {
                    out.extend(gap);
                }
            }
            out.push((*x, *y, cell.clone()));
        }
        out
    }

    /// Record what was sent, as ratatui's buffer holds it: a wide character blanks the
    /// cells it covers.
    fn record(&mut self, sent: Vec<(u16, u16, Cell)>) {
        let Some(shadow) = &mut self.shadow else {
            return;
        };
        for (x, y, cell) in sent {
            let width = cell_width(&cell);
            let Some(c) = shadow.cell_mut(Position::new(x, y)) else {
                // Outside the copy: it no longer matches the terminal.
                self.shadow = None;
                return;
            };
            *c = cell;
            for k in 1..width {
                if let Some(c) = shadow.cell_mut(Position::new(x + k, y)) {
                    c.reset();
                }
            }
        }
    }

    fn reset_shadow(&mut self) {
        self.shadow = self
            .size()
            .ok()
            .map(|s| Buffer::empty(Rect::new(0, 0, s.width, s.height)));
    }
}

/// Columns a cell covers on the terminal (at least one).
fn cell_width(cell: &Cell) -> u16 {
    cell.symbol().width().clamp(1, 2) as u16
}

/// Text every terminal prints at the width ratatui gives it: printable ASCII, or one
/// wide character of the East Asian scripts.
fn plain(cell: &Cell) -> bool {
    #[allow(deprecated)] // ratatui-image and older widgets still set `skip`.
    let skipped = cell.skip;
    if skipped || cell.diff_option != ratatui::buffer::CellDiffOption::None {
        return false;
    }
    let s = cell.symbol();
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if (' '..='~').contains(&c) => true,
        (Some(c), None) => super::wire::east_asian_wide(c),
        _ => false,
    }
}

fn same_style(a: &Cell, b: &Cell) -> bool {
    a.style() == b.style()
}

/// The shadow's cells from column `from` up to `to` on row `y`, when they are plain text
/// in the style of `prev`, tile the gap exactly, and cost fewer bytes than the move that
/// would jump them (`ESC [ col G`).
fn gap_cells(
    shadow: &Buffer,
    from: u16,
    to: u16,
    y: u16,
    prev: &Cell,
) -> Option<Vec<(u16, u16, Cell)>> {
    let move_cost = 4 + (to + 1).to_string().len();
    let mut cells = Vec::new();
    let mut bytes = 0;
    let mut x = from;
    while x < to {
        let cell = shadow.cell(Position::new(x, y))?;
        if !plain(cell) || !same_style(cell, prev) {
            return None;
        }
        bytes += cell.symbol().len();
        if bytes >= move_cost {
            return None;
        }
        cells.push((x, y, cell.clone()));
        x += cell_width(cell);
    }
    (x == to).then_some(cells)
}

impl<B: Backend> Backend for Shadowed<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let sent = self.filled(&updates);
        self.inner.draw(sent.iter().map(|(x, y, c)| (*x, *y, c)))?;
        self.record(sent);
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.shadow = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()?;
        self.reset_shadow();
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)?;
        if clear_type == ClearType::All {
            self.reset_shadow();
        } else {
            self.shadow = None;
        }
        Ok(())
    }

    fn size(&self) -> Result<Size, Self::Error> {
        match self.fixed {
            Some(size) => Ok(size),
            None => self.inner.size(),
        }
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        match self.fixed {
            Some(columns_rows) => Ok(WindowSize {
                columns_rows,
                pixels: Size::default(),
            }),
            None => self.inner.window_size(),
        }
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};
    use ratatui::text::{Line, Span, Text};

    /// Bytes of drawing each frame in turn on a 24×3 screen, through the wire writer,
    /// with or without the shadow.
    fn draw(frames: &[Text<'static>], shadow: bool) -> Vec<u8> {
        crate::tui::testterm::draw(frames, 24, shadow, true)
    }

    fn screen(bytes: &[u8]) -> Vec<String> {
        crate::tui::testterm::chars(bytes, 24)
    }

    fn text(lines: &[&'static str]) -> Text<'static> {
        let grey = Style::new().fg(Color::DarkGray);
        Text::from(
            lines
                .iter()
                .map(|l| Line::from(vec![Span::styled("名:", grey), Span::raw(*l)]))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn gaps_printed_give_the_same_screen_in_fewer_bytes() {
        let frames = [
            text(&["洛阳市西工区智慧城市", "政府机关 abc", "王倩 法定代表人"]),
            text(&["广州", "企业 abd", "邓志帆 法定代表人 是"]),
            text(&["广州南沙港", "", "邓志帆"]),
            text(&["a b c d e f g", "张 伟", "x"]),
            text(&["a 伟 c d e f g", "张 伟 王", "x y"]),
        ];
        for n in 1..=frames.len() {
            let plain = draw(&frames[..n], false);
            let shadowed = draw(&frames[..n], true);
            assert_eq!(
                screen(&plain),
                screen(&shadowed),
                "frame {n}: the same screen"
            );
            assert!(
                shadowed.len() <= plain.len(),
                "frame {n}: {} vs {}",
                shadowed.len(),
                plain.len()
            );
        }
        let plain = draw(&frames[..2], false);
        let shadowed = draw(&frames[..2], true);
        assert!(
            shadowed.len() + 20 < plain.len(),
            "clearing Chinese text jumps no more: {} vs {}",
            shadowed.len(),
            plain.len()
        );
    }

    #[test]
    fn gaps_of_another_style_or_unsure_cells_are_jumped() {
        let mut prev = Cell::new("a");
        prev.set_style(Style::new().fg(Color::Red));
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        buf[(1, 0)]
            .set_symbol("b")
            .set_style(Style::new().fg(Color::Red));
        buf[(2, 0)].set_symbol("c");
        buf[(3, 0)]
            .set_symbol("🚀")
            .set_style(Style::new().fg(Color::Red));
        // Same style: printed.
        assert_eq!(gap_cells(&buf, 1, 2, 0, &prev).map(|v| v.len()), Some(1));
        // Another style, an emoji, or too long to pay: jumped.
        assert!(gap_cells(&buf, 1, 3, 0, &prev).is_none());
        assert!(gap_cells(&buf, 3, 5, 0, &prev).is_none());
        let mut long = Buffer::empty(Rect::new(0, 0, 10, 1));
        long.set_string(0, 0, "张伟王芳", Style::new());
        assert!(gap_cells(&long, 0, 8, 0, &Cell::new(" ")).is_none());
        assert_eq!(
            gap_cells(&long, 0, 2, 0, &Cell::new(" ")).map(|v| v.len()),
            Some(1)
        );
    }
}
