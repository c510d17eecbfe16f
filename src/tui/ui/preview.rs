//! A material's picture in the terminal: kitty, sixel or iTerm2 graphics where the
//! terminal has them, Unicode half-blocks everywhere else (over SSH too). The picture is
//! encoded once per area size and reused by the frames after.

use super::super::app::App;
use super::super::text::{self, L};
use super::widgets::bordered;
use ratatui::Frame;
use ratatui::layout::{Rect, Size};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_image::{Image, Resize};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(p) = app.preview() else { return };
    let th = app.theme();
    let kind = app
        .current()
        .and_then(|l| l.order().materials.iter().find(|m| m.id == p.material()))
        .map(|m| text::value(m.kind, app.lang()).to_string())
        .unwrap_or_default();
    let block = bordered(app, format!("{kind} [{}]", p.material()), false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if let Some(e) = p.error() {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "{}: {}",
                    app.t(L::Undecodable),
                    super::super::safe::Safe::text(e).into_inner()
                ),
                th.warn,
            ))
            .wrap(Wrap { trim: false }),
            inner,
        );
        return;
    }
    let Some(img) = &p.image else {
        f.render_widget(
            Paragraph::new(Span::styled(app.t(L::PreviewLoading), th.muted)),
            inner,
        );
        return;
    };
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let mut cache = app.protocol.borrow_mut();
    if cache
        .as_ref()
        .is_none_or(|(r, _)| r.width != inner.width || r.height != inner.height)
    {
        *cache = app
            .settings()
            .picker
            .new_protocol(
                (**img).clone(),
                Size::new(inner.width, inner.height),
                Resize::Fit(None),
            )
            .ok()
            .map(|proto| (inner, proto));
    }
    match cache.as_ref() {
        Some((_, proto)) => f.render_widget(Image::new(proto), inner),
        None => f.render_widget(
            Paragraph::new(Span::styled(app.t(L::NoPicture), th.muted)),
            inner,
        ),
    }
}
