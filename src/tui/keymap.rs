//! The keymap: layers of `{on, run, desc}` entries read from `assets/keymap.toml`, the
//! config's `[keymap]` on top. Keys, `?` help, footer hints and the `:` line all speak the
//! command vocabulary of [`super::command`]. Two bindings of one key in one layer are an
//! error at start naming both.

use super::command::{Command, Vocabulary};
use crate::config::Language;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;

const DEFAULTS: &str = include_str!("../../assets/keymap.toml");

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Global,
    Queue,
    Detail,
    Approve,
    ApproveNote,
    Reject,
    RejectEdit,
    Call,
    Input,
    Prompt,
    Help,
    Recover,
    Triage,
    Agenda,
    Stats,
}

impl Layer {
    pub const ALL: [Layer; 15] = [
        Layer::Global,
        Layer::Queue,
        Layer::Detail,
        Layer::Approve,
        Layer::ApproveNote,
        Layer::Reject,
        Layer::RejectEdit,
        Layer::Call,
        Layer::Input,
        Layer::Prompt,
        Layer::Help,
        Layer::Recover,
        Layer::Triage,
        Layer::Agenda,
        Layer::Stats,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Global => "global",
            Layer::Queue => "queue",
            Layer::Detail => "detail",
            Layer::Approve => "approve",
            Layer::ApproveNote => "approve_note",
            Layer::Reject => "reject",
            Layer::RejectEdit => "reject_edit",
            Layer::Call => "call",
            Layer::Input => "input",
            Layer::Prompt => "prompt",
            Layer::Help => "help",
            Layer::Recover => "recover",
            Layer::Triage => "triage",
            Layer::Agenda => "agenda",
            Layer::Stats => "stats",
        }
    }

    fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == s)
    }

    /// The help section title.
    pub fn title(self) -> super::text::L {
        use super::text::L;
        match self {
            Layer::Global => L::LayerGlobal,
            Layer::Queue => L::LayerQueue,
            Layer::Detail => L::LayerDetail,
            Layer::Approve | Layer::ApproveNote => L::LayerApprove,
            Layer::Reject | Layer::RejectEdit => L::LayerReject,
            Layer::Call => L::LayerCall,
            Layer::Input => L::LayerInput,
            Layer::Prompt => L::LayerPrompt,
            Layer::Help => L::LayerHelp,
            Layer::Recover => L::UnsentTitle,
            Layer::Triage => L::ViewTriage,
            Layer::Agenda => L::AgendaTitle,
            Layer::Stats => L::StatsTitle,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub layer: Layer,
    /// The keys as written (`ctrl-d`).
    pub on: Vec<String>,
    keys: Vec<KeyEvent>,
    /// The command line as written (`sort age`).
    pub run: String,
    pub command: Command,
    pub desc: Option<String>,
}

impl Binding {
    /// Help text: the entry's own `desc`, else what the command does.
    pub fn description(&self, lang: Language) -> String {
        match &self.desc {
            Some(d) if !d.is_empty() => d.clone(),
            _ => {
                let base = super::text::command(self.command.name(), lang).unwrap_or("");
                // An argument is part of what the binding does: `sort age`.
                match self.run.split_once(' ') {
                    Some((_, arg)) => format!("{base} · {arg}"),
                    None => base.to_string(),
                }
            }
        }
    }
}

/// A keymap problem: the config key or layer and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("keymap.{name}: {message}")]
pub struct KeymapError {
    pub name: String,
    pub message: String,
}

#[derive(Deserialize)]
struct Entry {
    on: Vec<String>,
    run: String,
    #[serde(default)]
    desc: Option<String>,
}

#[derive(Deserialize)]
struct LayerFile {
    keymap: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

/// Parse a key as written: `j`, `G`, `ctrl-d`, `shift-tab`, `enter`, `f1`, `space`…
pub fn parse_key(s: &str) -> Option<KeyEvent> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("shift-") {
            mods |= KeyModifiers::SHIFT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" if mods.contains(KeyModifiers::SHIFT) => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().ok()?)
        }
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
        _ => return None,
    };
    Some(KeyEvent::new(code, mods))
}

/// Two key events mean the same key (shift is implied by an upper-case character).
pub fn same_key(a: &KeyEvent, b: &KeyEvent) -> bool {
    let strip = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (a.code, b.code) {
        (KeyCode::Char(x), KeyCode::Char(y)) => x == y && strip(a.modifiers) == strip(b.modifiers),
        // BackTab is shift-tab: crossterm reports it with SHIFT, the keymap stores it without.
        (KeyCode::BackTab, KeyCode::BackTab) => strip(a.modifiers) == strip(b.modifiers),
        (x, y) => x == y && a.modifiers == b.modifiers,
    }
}

fn read_keys(name: &str, on: &[String]) -> Result<Vec<KeyEvent>, KeymapError> {
    on.iter()
        .map(|k| {
            parse_key(k).ok_or_else(|| KeymapError {
                name: name.to_string(),
                message: format!("cannot read the key {k:?}"),
            })
        })
        .collect()
}

impl Keymap {
    /// The built-in keymap with the config's `[keymap]` on top: `command = [keys]` rebinds
    /// the one entry running `command` (`layer.command` when several layers have one), and
    /// `layer.command args` binds a new one.
    pub fn new(
        overrides: &BTreeMap<String, Vec<String>>,
        vocab: &Vocabulary,
    ) -> Result<Keymap, KeymapError> {
        let file: BTreeMap<String, LayerFile> =
            toml::from_str(DEFAULTS).map_err(|e| KeymapError {
                name: "(assets/keymap.toml)".into(),
                message: e.to_string(),
            })?;
        let mut bindings = Vec::new();
        for (layer_name, lf) in &file {
            let layer = Layer::parse(layer_name).ok_or_else(|| KeymapError {
                name: layer_name.clone(),
                message: "no such layer".into(),
            })?;
            for e in &lf.keymap {
                let what = format!("{layer_name}.{}", e.run);
                bindings.push(Binding {
                    layer,
                    keys: read_keys(&what, &e.on)?,
                    on: e.on.clone(),
                    command: Command::parse(&e.run, vocab).map_err(|err| KeymapError {
                        name: what.clone(),
                        message: format!("cannot read the command: {err:?}"),
                    })?,
                    run: e.run.clone(),
                    desc: e.desc.clone(),
                });
            }
        }
        for (name, keys) in overrides {
            let (layer, run) = match name.split_once('.') {
                Some((l, r)) => (
                    Some(Layer::parse(l).ok_or_else(|| KeymapError {
                        name: name.clone(),
                        message: format!(
                            "no such layer {l:?} (layers: {})",
                            Layer::ALL.map(Layer::name).join(", ")
                        ),
                    })?),
                    r,
                ),
                None => (None, name.as_str()),
            };
            let parsed = read_keys(name, keys)?;
            let found: Vec<usize> = bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| b.run == run && layer.is_none_or(|l| l == b.layer))
                .map(|(i, _)| i)
                .collect();
            match (found.as_slice(), layer) {
                ([i], _) => {
                    bindings[*i].on = keys.clone();
                    bindings[*i].keys = parsed;
                }
                ([], Some(l)) => {
                    let command = Command::parse(run, vocab).map_err(|e| KeymapError {
                        name: name.clone(),
                        message: format!("cannot read the command: {e:?}"),
                    })?;
                    bindings.push(Binding {
                        layer: l,
                        on: keys.clone(),
                        keys: parsed,
                        run: run.to_string(),
                        command,
                        desc: None,
                    });
                }
                ([], None) => {
                    return Err(KeymapError {
                        name: name.clone(),
                        message: "no such command in the keymap (see `?` in the TUI; \
                                  `layer.command` binds a new one)"
                            .into(),
                    });
                }
                (many, None) => {
                    let layers: Vec<&str> =
                        many.iter().map(|i| bindings[*i].layer.name()).collect();
                    return Err(KeymapError {
                        name: name.clone(),
                        message: format!(
                            "several layers run it ({}): write layer.{run}",
                            layers.join(", ")
                        ),
                    });
                }
                (_, Some(_)) => unreachable!("one layer binds a command once"),
            }
        }
        let km = Keymap { bindings };
        km.check_shadows()?;
        Ok(km)
    }

    /// A key bound twice in one layer would make one binding dead: refuse it.
    fn check_shadows(&self) -> Result<(), KeymapError> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.layer != b.layer {
                    continue;
                }
                for (ka, na) in a.keys.iter().zip(&a.on) {
                    if b.keys.iter().any(|kb| same_key(ka, kb)) {
                        return Err(KeymapError {
                            name: a.layer.name().into(),
                            message: format!(
                                "the key {na:?} is bound to both {:?} and {:?}",
                                a.run, b.run
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The command a key runs in a layer (that layer only).
    pub fn lookup(&self, layer: Layer, key: &KeyEvent) -> Option<&Command> {
        self.bindings
            .iter()
            .find(|b| b.layer == layer && b.keys.iter().any(|k| same_key(k, key)))
            .map(|b| &b.command)
    }

    /// The command a key runs through a stack of layers, first match wins.
    pub fn resolve(&self, layers: &[Layer], key: &KeyEvent) -> Option<&Command> {
        layers.iter().find_map(|l| self.lookup(*l, key))
    }

    /// The first key that runs `run` in one of `layers` (for hints), or "".
    pub fn key_for(&self, layers: &[Layer], run: &str) -> &str {
        layers
            .iter()
            .find_map(|l| {
                self.bindings
                    .iter()
                    .find(|b| b.layer == *l && b.run == run)
                    .and_then(|b| b.on.first())
            })
            .map_or("", String::as_str)
    }

    /// Every key that runs `run` in a layer, as written.
    pub fn keys_for(&self, layer: Layer, run: &str) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|b| b.layer == layer && b.run == run)
            .flat_map(|b| b.on.iter().cloned())
            .collect()
    }

    /// Help: per layer, (keys, description) rows.
    pub fn help(&self, lang: Language) -> Vec<(Layer, Vec<(String, String)>)> {
        Layer::ALL
            .iter()
            .map(|l| {
                let rows = self
                    .bindings
                    .iter()
                    .filter(|b| b.layer == *l)
                    .map(|b| (b.on.join(" "), b.description(lang)))
                    .collect::<Vec<_>>();
                (*l, rows)
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab_owned() -> (Vec<String>, Vec<String>) {
        (vec!["CN-BJ".into()], vec!["dark".into(), "mono".into()])
    }

    fn km(o: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let (p, t) = vocab_owned();
        Keymap::new(
            o,
            &Vocabulary {
                provinces: &p,
                themes: &t,
            },
        )
    }

    fn k(c: char) -> KeyEvent {
        KeyEvent::new(
            KeyCode::Char(c),
            if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            },
        )
    }

    #[test]
    fn defaults_resolve_through_layers() {
        let km = km(&BTreeMap::new()).unwrap();
        assert_eq!(
            km.resolve(&[Layer::Queue, Layer::Global], &k('j')),
            Some(&Command::Down)
        );
        assert_eq!(
            km.resolve(&[Layer::Queue, Layer::Global], &k('G')),
            Some(&Command::Bottom)
        );
        assert_eq!(
            km.resolve(
                &[Layer::Queue, Layer::Global],
                &KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(&Command::PrevPane)
        );
        // Enter in the y/N dialog takes the default, no.
        assert_eq!(
            km.lookup(
                Layer::Approve,
                &KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
            ),
            Some(&Command::Cancel)
        );
        assert_eq!(km.lookup(Layer::Reject, &k('3')), Some(&Command::Pick(3)));
        assert_eq!(km.key_for(&[Layer::Global], "approve"), "a");
    }

    #[test]
    fn overrides_rebind_and_add() {
        let mut o = BTreeMap::new();
        o.insert("approve".to_string(), vec!["A".to_string()]);
        o.insert("reject.toggle".to_string(), vec!["x".to_string()]);
        o.insert("queue.province BJ".to_string(), vec!["B".to_string()]);
        let km = km(&o).unwrap();
        assert_eq!(km.lookup(Layer::Global, &k('a')), None);
        assert_eq!(km.lookup(Layer::Global, &k('A')), Some(&Command::Approve));
        assert_eq!(km.lookup(Layer::Reject, &k('x')), Some(&Command::Toggle));
        assert_eq!(
            km.lookup(Layer::Queue, &k('B')),
            Some(&Command::Province(Some("CN-BJ".into())))
        );
        assert_eq!(km.key_for(&[Layer::Global], "approve"), "A");
    }

    #[test]
    fn shadowing_and_unknowns_are_errors_naming_both() {
        let mut o = BTreeMap::new();
        o.insert("approve".to_string(), vec!["j".to_string()]);
        let e = km(&o).unwrap_err();
        assert_eq!(e.name, "global");
        assert!(
            e.message.contains("\"approve\"") && e.message.contains("\"down\""),
            "{e}"
        );
        let mut o = BTreeMap::new();
        o.insert("confirm".to_string(), vec!["x".to_string()]);
        assert!(km(&o).unwrap_err().message.contains("several layers"));
        let mut o = BTreeMap::new();
        o.insert("nonsense".to_string(), vec!["x".to_string()]);
        assert!(km(&o).is_err());
        let mut o = BTreeMap::new();
        o.insert("queue.province XX".to_string(), vec!["x".to_string()]);
        assert!(km(&o).is_err());
        let mut o = BTreeMap::new();
        o.insert("approve".to_string(), vec!["ctrl-".to_string()]);
        assert!(km(&o).unwrap_err().message.contains("cannot read the key"));
    }

    #[test]
    fn help_lists_every_layer_with_descriptions() {
        let km = km(&BTreeMap::new()).unwrap();
        let help = km.help(Language::En);
        for l in Layer::ALL {
            assert!(help.iter().any(|(h, _)| *h == l), "{l:?}");
        }
        for (_, rows) in &help {
            for (keys, desc) in rows {
                assert!(!keys.is_empty() && !desc.is_empty(), "{keys}");
            }
        }
    }
}
