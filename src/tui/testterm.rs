//! A tiny terminal for the tests of the layers between ratatui and the tty
//! ([`super::shadow`], [`super::wire`]): draw frames through them or not, then read back
//! what a terminal would show, cell by cell with colours.

use super::shadow::Shadowed;
use super::wire::Wire;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::text::Text;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use unicode_width::UnicodeWidthChar;

/// Rows of the tiny screen.
const ROWS: usize = 3;

/// The bytes of drawing `frames` one after the other on a `width`×3 screen, through
/// [`Shadowed`] and [`Wire`] when asked.
pub fn draw(frames: &[Text<'static>], width: u16, shadow: bool, wire: bool) -> Vec<u8> {
    fn run<B: Backend>(backend: B, frames: &[Text<'static>], width: u16) {
        let mut t = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, ROWS as u16)),
            },
        )
        .unwrap();
        for f in frames {
            t.draw(|fr| fr.render_widget(f.clone(), fr.area())).unwrap();
        }
        t.backend_mut().flush().unwrap();
    }
    let mut out = Vec::new();
    {
        let sink: Box<dyn Write + '_> = if wire {
            Box::new(Wire::new(&mut out))
        } else {
            Box::new(&mut out)
        };
        let backend = CrosstermBackend::new(sink);
        if shadow {
            run(Shadowed::new(backend), frames, width);
        } else {
            run(backend, frames, width);
        }
    }
    out
}

/// A cell as the terminal shows it: the character and its SGR state (foreground,
/// background, bold, reverse).
pub type Cell = (char, String, String, bool, bool);

/// What a terminal shows after `bytes`: `ESC[r;cH` and `ESC[cG` moves, SGR colours and
/// attributes (the 256-colour and the short forms read into one palette), wide characters
/// over two columns, and a character written over either half of a wide one blanking the
/// other half, as terminals do. Other sequences are ignored.
pub fn cells(bytes: &[u8], width: usize) -> Vec<Vec<Cell>> {
    let blank = || (' ', "d".to_string(), "d".to_string(), false, false);
    let mut grid = vec![vec![blank(); width]; ROWS];
    let (mut x, mut y) = (0usize, 0usize);
    let (mut fg, mut bg, mut bold, mut rev) = ("d".to_string(), "d".to_string(), false, false);
    let s = String::from_utf8_lossy(bytes);
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\u{1b}' {
            let mut seq = String::new();
            for n in it.by_ref() {
                seq.push(n);
                if seq.len() > 1 && ('@'..='~').contains(&n) {
                    break;
                }
            }
            let Some(body) = seq.strip_prefix('[') else {
                continue;
            };
            if let Some(p) = body.strip_suffix('H')
                && let Some((r, col)) = p.split_once(';')
            {
                y = r.parse::<usize>().unwrap() - 1;
                x = col.parse::<usize>().unwrap() - 1;
            } else if let Some(col) = body.strip_suffix('G') {
                x = col.parse::<usize>().unwrap() - 1;
            } else if let Some(n) = body.strip_suffix('X') {
                // Erase n cells from the cursor (which stays): blanks in the default
                // colours (the writer erases only when those are set).
                let n = n.parse::<usize>().unwrap_or(1).max(1);
                if y < ROWS {
                    let row = &mut grid[y];
                    if x < width && row[x].0 == '\u{0}' && x > 0 {
                        row[x - 1] = blank();
                    }
                    let end = (x + n).min(width);
                    for cell in row.iter_mut().take(end).skip(x) {
                        *cell = blank();
                    }
                    if end < width && row[end].0 == '\u{0}' {
                        row[end] = blank();
                    }
                }
            } else if let Some(p) = body.strip_suffix('m') {
                let ps: Vec<u32> = p.split(';').map(|v| v.parse().unwrap_or(0)).collect();
                let mut i = 0;
                while i < ps.len() {
                    match ps[i] {
                        0 => (fg, bg, bold, rev) = ("d".into(), "d".into(), false, false),
                        1 => bold = true,
                        22 => bold = false,
                        7 => rev = true,
                        27 => rev = false,
                        n @ 30..=37 => fg = (n - 30).to_string(),
                        n @ 90..=97 => fg = (n - 90 + 8).to_string(),
                        39 => fg = "d".into(),
                        n @ 40..=47 => bg = (n - 40).to_string(),
                        n @ 100..=107 => bg = (n - 100 + 8).to_string(),
                        49 => bg = "d".into(),
                        n @ (38 | 48) => {
                            let v = if ps[i + 1] == 5 {
                                i += 2;
                                ps[i].to_string()
                            } else {
                                i += 4;
                                format!("{}/{}/{}", ps[i - 2], ps[i - 1], ps[i])
                            };
                            if n == 38 { fg = v } else { bg = v }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            continue;
        }
        let w = c.width().unwrap_or(0);
        if w == 0 || y >= ROWS || x >= width {
            continue;
        }
        let row = &mut grid[y];
        // Writing over either half of a wide character blanks the whole of it.
        if row[x].0 == '\u{0}' && x > 0 {
            row[x - 1] = blank();
        }
        if x + 1 < width && row[x + 1].0 == '\u{0}' {
            row[x + 1] = blank();
        }
        row[x] = (c, fg.clone(), bg.clone(), bold, rev);
        if w == 2 && x + 1 < width {
            if x + 2 < width && row[x + 2].0 == '\u{0}' {
                row[x + 2] = blank();
            }
            row[x + 1] = ('\u{0}', fg.clone(), bg.clone(), bold, rev);
        }
        x += w;
    }
    grid
}

/// The characters of [`cells`], a string per row.
pub fn chars(bytes: &[u8], width: usize) -> Vec<String> {
    cells(bytes, width)
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| c.0)
                .filter(|c| *c != '\u{0}')
                .collect()
        })
        .collect()
}
