//! One keymap table: context + key → command, each with a description in both
//! languages. The `?` overlay is generated from it; the config's `[keymap]` overrides it.

use crate::config::Language;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// Where a binding applies. Global bindings apply in every pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Queue,
    Detail,
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    CommandLine,
    Search,
    Refresh,
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    Open,
    Back,
    Approve,
    Reject,
    Call,
    Undo,
    Reveal,
    NextFlag,
    PrevFlag,
    JumpToField,
    SortNext,
    Triage,
    QueueView,
    Claim,
}

pub struct Binding {
    pub context: Context,
    pub command: Command,
    /// The config name of the command (`[keymap] approve = ["a"]`).
    pub name: &'static str,
    pub keys: Vec<String>,
    pub zh: &'static str,
    pub en: &'static str,
}

/// (context, command, config name, default keys, description zh, description en).
type DefaultBinding = (
    Context,
    Command,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
);

const DEFAULTS: &[DefaultBinding] = &[
    (
        Context::Global,
        Command::Help,
        "help",
        &["?", "f1"],
        "显示快捷键",
        "show keys",
    ),
    (
        Context::Global,
        Command::Quit,
        "quit",
        &["q", "ctrl-c"],
        "退出（先提交待提交的决定）",
        "quit (commits pending decisions first)",
    ),
    (
        Context::Global,
        Command::CommandLine,
        "command",
        &[":"],
        "命令行（sort/filter/province/type/lang/theme）",
        "command line (sort/filter/province/type/lang/theme)",
    ),
    (
        Context::Global,
        Command::Search,
        "search",
        &["/"],
        "搜索订单号、主体、域名、姓名",
        "search id, subject, domain, person",
    ),
    (
        Context::Global,
        Command::Refresh,
        "refresh",
        &["R", "ctrl-r"],
        "刷新",
        "refresh",
    ),
    (
        Context::Global,
        Command::NextPane,
        "next_pane",
        &["tab", "l"],
        "下一个窗格",
        "next pane",
    ),
    (
        Context::Global,
        Command::PrevPane,
        "prev_pane",
        &["shift-tab", "h"],
        "上一个窗格",
        "previous pane",
    ),
    (
        Context::Global,
        Command::Approve,
        "approve",
        &["a"],
        "通过（需确认）",
        "approve (confirm)",
    ),
    (
        Context::Global,
        Command::Reject,
        "reject",
        &["r"],
        "驳回（选择原因）",
        "reject (pick reasons)",
    ),
    (
        Context::Global,
        Command::Call,
        "call",
        &["c"],
        "预约核实电话",
        "schedule a call",
    ),
    (
        Context::Global,
        Command::Undo,
        "undo",
        &["z"],
        "撤销尚未提交的决定",
        "undo a decision not yet committed",
    ),
    (
        Context::Global,
        Command::Reveal,
        "reveal",
        &["v"],
        "显示/隐藏证件号和电话（记录）",
        "show/hide id numbers and phones (audited)",
    ),
    (
        Context::Global,
        Command::NextFlag,
        "next_flag",
        &["n"],
        "下一个问题",
        "next finding",
    ),
    (
        Context::Global,
        Command::PrevFlag,
        "prev_flag",
        &["N"],
        "上一个问题",
        "previous finding",
    ),
    (
        Context::Global,
        Command::JumpToField,
        "jump",
        &["enter"],
        "跳到问题所在字段",
        "jump to the flagged field",
    ),
    (
        Context::Global,
        Command::SortNext,
        "sort",
        &["s"],
        "切换排序（时长/省份/问题数）",
        "cycle sort (age/province/findings)",
    ),
    (
        Context::Global,
        Command::Triage,
        "triage",
        &["T", "2"],
        "驳回单分诊视图",
        "triage view (rejected orders)",
    ),
    (
        Context::Global,
        Command::QueueView,
        "queue_view",
        &["1"],
        "待审队列视图",
        "review queue view",
    ),
    (
        Context::Global,
        Command::Claim,
        "claim",
        &["C"],
        "认领订单",
        "claim the order",
    ),
    (
        Context::Global,
        Command::Down,
        "down",
        &["j", "down"],
        "下移",
        "down",
    ),
    (
        Context::Global,
        Command::Up,
        "up",
        &["k", "up"],
        "上移",
        "up",
    ),
    (
        Context::Global,
        Command::Top,
        "top",
        &["g", "home"],
        "到顶部",
        "top",
    ),
    (
        Context::Global,
        Command::Bottom,
        "bottom",
        &["G", "end"],
        "到底部",
        "bottom",
    ),
    (
        Context::Global,
        Command::PageDown,
        "page_down",
        &["ctrl-d", "pagedown"],
        "下翻页",
        "page down",
    ),
    (
        Context::Global,
        Command::PageUp,
        "page_up",
        &["ctrl-u", "pageup"],
        "上翻页",
        "page up",
    ),
    (
        Context::Global,
        Command::Back,
        "back",
        &["esc"],
        "返回队列",
        "back to the queue",
    ),
];

/// Parse a key as written in the config: `j`, `G`, `ctrl-d`, `shift-tab`, `enter`, `f1`…
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
        f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().ok()?)
        }
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
        _ => return None,
    };
    Some(KeyEvent::new(code, mods))
}

/// Two key events mean the same key (shift is implied by an upper-case character).
fn same_key(a: &KeyEvent, b: &KeyEvent) -> bool {
    let strip = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (a.code, b.code) {
        (KeyCode::Char(x), KeyCode::Char(y)) => x == y && strip(a.modifiers) == strip(b.modifiers),
        // BackTab is shift-tab: crossterm reports it with SHIFT, the keymap stores it without.
        (KeyCode::BackTab, KeyCode::BackTab) => strip(a.modifiers) == strip(b.modifiers),
        (x, y) => x == y && a.modifiers == b.modifiers,
    }
}

pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// A keymap configuration problem.
#[derive(Debug, thiserror::Error)]
#[error("keymap.{name}: {message}")]
pub struct KeymapError {
    pub name: String,
    pub message: String,
}

impl Keymap {
    /// Defaults overlaid by the config's `[keymap]` (action name → keys).
    pub fn new(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut bindings: Vec<Binding> = DEFAULTS
            .iter()
            .map(|(context, command, name, keys, zh, en)| Binding {
                context: *context,
                command: *command,
                name,
                keys: keys.iter().map(|k| k.to_string()).collect(),
                zh,
                en,
            })
            .collect();
        for (name, keys) in overrides {
            let b = bindings
                .iter_mut()
                .find(|b| b.name == name)
                .ok_or_else(|| KeymapError {
                    name: name.clone(),
                    message: "no such action (see `?` in the TUI for the list)".into(),
                })?;
            for k in keys {
                if parse_key(k).is_none() {
                    return Err(KeymapError {
                        name: name.clone(),
                        message: format!("cannot read the key {k:?}"),
                    });
                }
            }
            b.keys = keys.clone();
        }
        Ok(Keymap { bindings })
    }

    /// The command bound to a key.
    pub fn lookup(&self, key: &KeyEvent) -> Option<Command> {
        self.bindings
            .iter()
            .find(|b| {
                b.keys
                    .iter()
                    .filter_map(|k| parse_key(k))
                    .any(|k| same_key(&k, key))
            })
            .map(|b| b.command)
    }

    /// The first key of a command, for hints.
    pub fn key_of(&self, c: Command) -> &str {
        self.bindings
            .iter()
            .find(|b| b.command == c)
            .and_then(|b| b.keys.first())
            .map_or("", String::as_str)
    }

    /// (keys, description) rows for the help overlay.
    pub fn help_rows(&self, lang: Language) -> Vec<(String, &'static str)> {
        self.bindings
            .iter()
            .map(|b| {
                (
                    b.keys.join(" "),
                    if lang == Language::En { b.en } else { b.zh },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let km = Keymap::new(&BTreeMap::new()).unwrap();
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Command::Down)
        );
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Command::PageDown)
        );
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Command::PrevPane)
        );
        let mut o = BTreeMap::new();
        o.insert("approve".to_string(), vec!["A".to_string()]);
        let km = Keymap::new(&o).unwrap();
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.lookup(&KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Some(Command::Approve)
        );
        o.insert("nonsense".to_string(), vec!["x".to_string()]);
        assert!(Keymap::new(&o).is_err());
    }
}
