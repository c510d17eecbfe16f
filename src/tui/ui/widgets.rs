//! Small drawing helpers the panes and overlays share.

use super::super::app::{App, Selection};
use super::super::input::Input;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clear a dialog's area, and the wide glyph whose right half lies under its left edge
/// (else the terminal keeps the glyph and the dialog loses its border cell).
pub fn clear(f: &mut Frame, r: Rect) {
    if r.x > 0 {
        let buf = f.buffer_mut();
        for y in r.top()..r.bottom() {
            let c = &mut buf[(r.x - 1, y)];
            if unicode_width::UnicodeWidthStr::width(c.symbol()) > 1 {
                c.set_symbol(" ");
            }
        }
    }
    f.render_widget(Clear, r);
}

/// The selected row's style in a list table (the whole row, or nothing with the marker
/// look), and the style of the selected row's id cell (the marker look's highlight).
pub fn selection_styles(app: &App) -> (Style, Style) {
    let th = app.theme();
    match app.settings().selection {
        Selection::Row => (th.selection, Style::default()),
        Selection::Marker => (Style::default(), th.selection),
    }
}

pub fn bordered<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let th = app.theme();
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { th.border_focus } else { th.border })
        .title(Span::styled(
            title,
            if focused { th.title } else { th.muted },
        ))
}

/// `label: text▏` in `width` columns: the text scrolls so the cursor stays in view. The
/// field holds only what the reviewer typed (no control characters get in).
pub fn input_line<'a>(app: &App, label: &str, input: &Input, active: bool, width: u16) -> Line<'a> {
    let th = app.theme();
    let label_w = unicode_width::UnicodeWidthStr::width(label) + 2;
    let room = usize::from(width).saturating_sub(label_w).max(4);
    let mut spans = vec![Span::styled(format!("{label}: "), th.muted)];
    if active {
        let (shown, col) = input.window(room);
        let mut used = 0;
        let mut at = shown.len();
        for (i, c) in shown.char_indices() {
            if used >= col {
                at = i;
                break;
            }
            used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
        }
        let (a, b) = shown.split_at(at);
        spans.push(Span::raw(a.to_string()));
        spans.push(Span::styled("▏", th.key));
        spans.push(Span::raw(b.to_string()));
    } else {
        let mut cut = Input::with(input.text());
        cut.apply(&super::super::command::Command::LineStart);
        let (shown, _) = cut.window(room);
        let more = shown.chars().count() < input.text().chars().count();
        spans.push(Span::raw(if more { format!("{shown}…") } else { shown }));
    }
    Line::from(spans)
}

/// `s` cut to `width` display columns, ending in `…` when cut (CJK counts two).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(1);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_cuts_to_the_width_with_an_ellipsis() {
        assert_eq!(fit("wang.fang", 9), "wang.fang");
        assert_eq!(fit("wang.fang", 5), "wang…");
        assert_eq!(fit("王芳芳芳", 5), "王芳…");
        assert!(fit("王芳芳芳", 6).width() <= 6);
    }
}
