//! The command vocabulary: one set of words drives the keymap (`run = "approve"`), the
//! `:` command line (`:approve`), `?` help and the footer hints. Commands that take an
//! argument (`sort age`, `province BJ`) are checked when read, so an unknown value is an
//! error naming what is accepted, never a silent no-op.

use crate::config::Language;
use crate::domain::{FilingType, Status};
use crate::queue::Sort;

/// Which list a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKind {
    /// Orders awaiting first review.
    Review,
    /// Rejected and bureau-rejected orders (leads' triage).
    Triage,
}

impl ViewKind {
    pub const ALL: [ViewKind; 2] = [ViewKind::Review, ViewKind::Triage];

    pub fn name(self) -> &'static str {
        match self {
            ViewKind::Review => "review",
            ViewKind::Triage => "triage",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    Help,
    Palette,
    Search,
    ClearSearch,
    Clear,
    Refresh,
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    Back,
    Approve,
    Reject,
    Call,
    Undo,
    Reveal,
    NextFlag,
    PrevFlag,
    Jump,
    /// Cycle the sort (`None`) or set it.
    Sort(Option<Sort>),
    View(ViewKind),
    Claim,
    /// A lead takes over the claim someone else holds on the selected order (audited).
    TakeOver,
    /// Who is online and what each has open.
    Who,
    /// Show what this person shows (pairing); decisions are refused meanwhile.
    Follow(String),
    /// Stop following.
    Unfollow,
    /// Follow again after moving on one's own (following paused).
    Resume,
    /// A follower asks for the controls.
    Drive,
    /// Hand the controls to the follower who asks: follow them from now on.
    HandOver,
    /// Open the selected material in the desktop's own viewer.
    OpenMaterial,
    /// Put the material that proves the fields beside them (licence next to the subject,
    /// ID scan next to the leader), or take it away.
    Compare,
    /// Statuses of the list; empty restores the view's own.
    Status(Vec<Status>),
    /// `CN-XX`, or none for every province.
    Province(Option<String>),
    Type(Option<FilingType>),
    Lang(Language),
    Theme(String),
    // Leads.
    /// Triage: mark or unmark the selected order.
    Mark,
    /// Triage: mark every order from the last mark to the selection.
    MarkRange,
    /// Triage: back to pending with a note (none: type it on the `:` line).
    Reopen(Option<String>),
    /// Triage: hand the marked (or selected) orders to a reviewer, with a note.
    Reassign(Option<(String, String)>),
    /// Triage: write the marked (or shown) orders to a CSV file.
    Export,
    /// Triage filters: who rejected, which reason, at least this many days ago.
    Reviewer(Option<String>),
    Reason(Option<String>),
    MinAge(Option<u32>),
    /// The call agenda screen, and the stats screen.
    Agenda,
    Stats,
    /// Agenda: the selected call's outcome.
    Outcome(crate::domain::CallOutcome),
    /// Agenda: write the calls as an iCalendar file.
    ExportIcs,
    // Dialogs.
    Confirm,
    Cancel,
    Override,
    Toggle,
    Edit,
    /// Select reason number n (1-based).
    Pick(usize),
    NextField,
    PrevField,
    /// Send a decision the last session left unsent.
    Resend,
    /// Throw away a decision the last session left unsent.
    Discard,
    // Text input.
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    DeleteBack,
    DeleteForward,
    KillLine,
    Complete,
    HistoryPrev,
    HistoryNext,
}

/// Every command name, in the order help lists them.
pub const NAMES: &[&str] = &[
    "quit",
    "help",
    "palette",
    "search",
    "clear_search",
    "clear",
    "refresh",
    "down",
    "up",
    "top",
    "bottom",
    "page_down",
    "page_up",
    "next_pane",
    "prev_pane",
    "back",
    "approve",
    "reject",
    "call",
    "undo",
    "reveal",
    "next_flag",
    "prev_flag",
    "jump",
    "sort",
    "view",
    "claim",
    "take_over",
    "who",
    "follow",
    "unfollow",
    "resume_follow",
    "drive",
    "hand_over",
    "open_material",
    "compare",
    "status",
    "province",
    "type",
    "lang",
    "theme",
    "mark",
    "mark_range",
    "reopen",
    "reassign",
    "export",
    "reviewer",
    "reason",
    "min_age",
    "agenda",
    "stats",
    "outcome",
    "export_ics",
    "confirm",
    "cancel",
    "override",
    "toggle",
    "edit",
    "pick",
    "next_field",
    "prev_field",
    "resend",
    "discard",
    "cursor_left",
    "cursor_right",
    "line_start",
    "line_end",
    "delete_back",
    "delete_forward",
    "kill_line",
    "complete",
    "history_prev",
    "history_next",
];

/// Commands the `:` line offers (the dialog and editing words work only in their layer).
pub const PALETTE: &[&str] = &[
    "approve",
    "reject",
    "call",
    "undo",
    "claim",
    "take_over",
    "who",
    "follow",
    "unfollow",
    "resume_follow",
    "drive",
    "hand_over",
    "reveal",
    "compare",
    "open_material",
    "search",
    "clear_search",
    "clear",
    "status",
    "province",
    "type",
    "sort",
    "view",
    "refresh",
    "next_flag",
    "prev_flag",
    "jump",
    "top",
    "bottom",
    "lang",
    "theme",
    "reopen",
    "reassign",
    "export",
    "reviewer",
    "reason",
    "min_age",
    "agenda",
    "stats",
    "outcome",
    "export_ics",
    "help",
    "quit",
];

/// Why a command line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    Unknown(String),
    BadValue {
        command: String,
        value: String,
        expected: Vec<String>,
    },
}

/// What the palette and the keymap need to check arguments.
pub struct Vocabulary<'a> {
    /// Province codes (`CN-BJ`) the queue knows.
    pub provinces: &'a [String],
    pub themes: &'a [String],
}

fn bad(command: &str, value: &str, expected: Vec<String>) -> CommandError {
    CommandError::BadValue {
        command: command.to_string(),
        value: value.to_string(),
        expected,
    }
}

impl Command {
    /// Read `name [args]`.
    pub fn parse(line: &str, vocab: &Vocabulary) -> Result<Command, CommandError> {
        let mut words = line.split_whitespace();
        let name = words.next().unwrap_or("");
        let args: Vec<&str> = words.collect();
        let arg = args.join(" ");
        let arg = arg.as_str();
        let none = |c: Command| {
            if arg.is_empty() {
                Ok(c)
            } else {
                Err(bad(name, arg, vec![]))
            }
        };
        match name {
            "quit" | "q" => none(Command::Quit),
            "help" => none(Command::Help),
            "palette" => none(Command::Palette),
            "search" => none(Command::Search),
            "clear_search" => none(Command::ClearSearch),
            "clear" => none(Command::Clear),
            "refresh" => none(Command::Refresh),
            "down" => none(Command::Down),
            "up" => none(Command::Up),
            "top" => none(Command::Top),
            "bottom" => none(Command::Bottom),
            "page_down" => none(Command::PageDown),
            "page_up" => none(Command::PageUp),
            "next_pane" => none(Command::NextPane),
            "prev_pane" => none(Command::PrevPane),
            "back" => none(Command::Back),
            "approve" => none(Command::Approve),
            "reject" => none(Command::Reject),
            "call" => none(Command::Call),
            "undo" => none(Command::Undo),
            "reveal" => none(Command::Reveal),
            "next_flag" => none(Command::NextFlag),
            "prev_flag" => none(Command::PrevFlag),
            "jump" => none(Command::Jump),
            "claim" => none(Command::Claim),
            "take_over" => none(Command::TakeOver),
            "who" => none(Command::Who),
            "unfollow" => none(Command::Unfollow),
            "resume_follow" => none(Command::Resume),
            "drive" => none(Command::Drive),
            "hand_over" => none(Command::HandOver),
            "follow" => Ok(Command::Follow(arg.trim().to_string())),
            "open_material" => none(Command::OpenMaterial),
            "compare" => none(Command::Compare),
            "confirm" => none(Command::Confirm),
            "cancel" => none(Command::Cancel),
            "override" => none(Command::Override),
            "toggle" => none(Command::Toggle),
            "edit" => none(Command::Edit),
            "next_field" => none(Command::NextField),
            "resend" => none(Command::Resend),
            "discard" => none(Command::Discard),
            "prev_field" => none(Command::PrevField),
            "cursor_left" => none(Command::CursorLeft),
            "cursor_right" => none(Command::CursorRight),
            "line_start" => none(Command::LineStart),
            "line_end" => none(Command::LineEnd),
            "delete_back" => none(Command::DeleteBack),
            "delete_forward" => none(Command::DeleteForward),
            "kill_line" => none(Command::KillLine),
            "complete" => none(Command::Complete),
            "history_prev" => none(Command::HistoryPrev),
            "history_next" => none(Command::HistoryNext),
            "mark" => none(Command::Mark),
            "mark_range" => none(Command::MarkRange),
            "export" => none(Command::Export),
            "agenda" => none(Command::Agenda),
            "stats" => none(Command::Stats),
            "export_ics" => none(Command::ExportIcs),
            "reopen" if arg.is_empty() => Ok(Command::Reopen(None)),
            "reopen" => Ok(Command::Reopen(Some(arg.to_string()))),
            "reassign" if arg.is_empty() => Ok(Command::Reassign(None)),
            "reassign" => match arg.split_once(' ') {
                Some((who, note)) if !note.trim().is_empty() => Ok(Command::Reassign(Some((
                    who.to_string(),
                    note.trim().to_string(),
                )))),
                _ => Err(bad(name, arg, vec!["REVIEWER NOTE".into()])),
            },
            "reviewer" if arg.is_empty() => Ok(Command::Reviewer(None)),
            "reviewer" => Ok(Command::Reviewer(Some(arg.to_string()))),
            "reason" if arg.is_empty() => Ok(Command::Reason(None)),
            "reason" => Ok(Command::Reason(Some(arg.to_string()))),
            "min_age" if arg.is_empty() => Ok(Command::MinAge(None)),
            "min_age" => match arg.parse::<u32>() {
                Ok(n) if n <= 3650 => Ok(Command::MinAge(Some(n))),
                _ => Err(bad(name, arg, vec!["0".into(), "7".into(), "30".into()])),
            },
            "outcome" => crate::domain::CallOutcome::parse(arg)
                .map(Command::Outcome)
                .ok_or_else(|| bad(name, arg, complete_arg("outcome", "", vocab))),
            "sort" if arg.is_empty() => Ok(Command::Sort(None)),
            "sort" => Sort::parse(arg)
                .map(|s| Command::Sort(Some(s)))
                .ok_or_else(|| bad(name, arg, complete_arg("sort", "", vocab))),
            "view" => match arg {
                "review" => Ok(Command::View(ViewKind::Review)),
                "triage" => Ok(Command::View(ViewKind::Triage)),
                _ => Err(bad(name, arg, complete_arg("view", "", vocab))),
            },
            "pick" => match arg.parse::<usize>() {
                Ok(n) if (1..=9).contains(&n) => Ok(Command::Pick(n)),
                _ => Err(bad(name, arg, (1..=9).map(|n| n.to_string()).collect())),
            },
            "status" | "filter" => {
                let parsed: Option<Vec<Status>> = args
                    .iter()
                    .flat_map(|a| a.split(','))
                    .filter(|s| !s.is_empty())
                    .map(Status::parse)
                    .collect();
                parsed
                    .map(Command::Status)
                    .ok_or_else(|| bad("status", arg, complete_arg("status", "", vocab)))
            }
            "province" if arg.is_empty() => Ok(Command::Province(None)),
            "province" => {
                let up = arg.to_uppercase();
                let code = if up.starts_with("CN-") {
                    up
                } else {
                    format!("CN-{up}")
                };
                if vocab.provinces.contains(&code) {
                    Ok(Command::Province(Some(code)))
                } else {
                    Err(bad(name, arg, complete_arg("province", "", vocab)))
                }
            }
            "type" if arg.is_empty() => Ok(Command::Type(None)),
            "type" => FilingType::parse(arg)
                .map(|t| Command::Type(Some(t)))
                .ok_or_else(|| bad(name, arg, complete_arg("type", "", vocab))),
            "lang" => match arg {
                "zh" | "zh-CN" | "中文" => Ok(Command::Lang(Language::Zh)),
                "en" => Ok(Command::Lang(Language::En)),
                _ => Err(bad(name, arg, vec!["zh".into(), "en".into()])),
            },
            "theme" if vocab.themes.iter().any(|t| t == arg) => Ok(Command::Theme(arg.into())),
            "theme" => Err(bad(name, arg, vocab.themes.to_vec())),
            _ => Err(CommandError::Unknown(name.to_string())),
        }
    }

    /// The name of the command (its `[command]` text key).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Palette => "palette",
            Command::Search => "search",
            Command::ClearSearch => "clear_search",
            Command::Clear => "clear",
            Command::Refresh => "refresh",
            Command::Down => "down",
            Command::Up => "up",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::PageDown => "page_down",
            Command::PageUp => "page_up",
            Command::NextPane => "next_pane",
            Command::PrevPane => "prev_pane",
            Command::Back => "back",
            Command::Approve => "approve",
            Command::Reject => "reject",
            Command::Call => "call",
            Command::Undo => "undo",
            Command::Reveal => "reveal",
            Command::NextFlag => "next_flag",
            Command::PrevFlag => "prev_flag",
            Command::Jump => "jump",
            Command::Sort(_) => "sort",
            Command::View(_) => "view",
            Command::Claim => "claim",
            Command::TakeOver => "take_over",
            Command::Who => "who",
            Command::Follow(_) => "follow",
            Command::Unfollow => "unfollow",
            Command::Resume => "resume_follow",
            Command::Drive => "drive",
            Command::HandOver => "hand_over",
            Command::OpenMaterial => "open_material",
            Command::Compare => "compare",
            Command::Status(_) => "status",
            Command::Province(_) => "province",
            Command::Type(_) => "type",
            Command::Lang(_) => "lang",
            Command::Theme(_) => "theme",
            Command::Mark => "mark",
            Command::MarkRange => "mark_range",
            Command::Reopen(_) => "reopen",
            Command::Reassign(_) => "reassign",
            Command::Export => "export",
            Command::Reviewer(_) => "reviewer",
            Command::Reason(_) => "reason",
            Command::MinAge(_) => "min_age",
            Command::Agenda => "agenda",
            Command::Stats => "stats",
            Command::Outcome(_) => "outcome",
            Command::ExportIcs => "export_ics",
            Command::Confirm => "confirm",
            Command::Cancel => "cancel",
            Command::Override => "override",
            Command::Toggle => "toggle",
            Command::Edit => "edit",
            Command::Pick(_) => "pick",
            Command::NextField => "next_field",
            Command::Resend => "resend",
            Command::Discard => "discard",
            Command::PrevField => "prev_field",
            Command::CursorLeft => "cursor_left",
            Command::CursorRight => "cursor_right",
            Command::LineStart => "line_start",
            Command::LineEnd => "line_end",
            Command::DeleteBack => "delete_back",
            Command::DeleteForward => "delete_forward",
            Command::KillLine => "kill_line",
            Command::Complete => "complete",
            Command::HistoryPrev => "history_prev",
            Command::HistoryNext => "history_next",
        }
    }
}

/// Values an argument of `command` may take that start with `prefix`.
pub fn complete_arg(command: &str, prefix: &str, vocab: &Vocabulary) -> Vec<String> {
    let all: Vec<String> = match command {
        "sort" => vec!["age".into(), "province".into(), "findings".into()],
        "view" => ViewKind::ALL.iter().map(|v| v.name().to_string()).collect(),
        "status" | "filter" => Status::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        "province" => vocab
            .provinces
            .iter()
            .map(|p| p.strip_prefix("CN-").unwrap_or(p).to_string())
            .collect(),
        "type" => FilingType::ALL
            .iter()
            .map(|t| t.as_str().to_string())
            .collect(),
        "lang" => vec!["zh".into(), "en".into()],
        "theme" => vocab.themes.to_vec(),
        "outcome" => crate::domain::CallOutcome::ALL
            .iter()
            .map(|o| o.as_str().to_string())
            .collect(),
        _ => vec![],
    };
    let p = prefix.to_lowercase();
    all.into_iter()
        .filter(|v| v.to_lowercase().starts_with(&p))
        .collect()
}

/// Completions of a whole command line: command names, or the last argument's values.
/// Each completion is the full line it would become.
pub fn complete_line(line: &str, vocab: &Vocabulary) -> Vec<String> {
    let trimmed = line.trim_start();
    match trimmed.split_once(' ') {
        None => PALETTE
            .iter()
            .filter(|n| n.starts_with(trimmed))
            .map(|n| n.to_string())
            .collect(),
        Some((cmd, rest)) => {
            // `status` takes several values: complete the last one.
            let (done, last) = match rest.rsplit_once([' ', ',']) {
                Some((d, l)) => (format!("{d}{}", &rest[d.len()..d.len() + 1]), l),
                None => (String::new(), rest),
            };
            complete_arg(cmd, last, vocab)
                .into_iter()
                .map(|v| format!("{cmd} {done}{v}"))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> (Vec<String>, Vec<String>) {
        (
            vec!["CN-BJ".into(), "CN-GD".into(), "CN-GS".into()],
            vec!["dark".into(), "light".into(), "mono".into()],
        )
    }

    #[test]
    fn reads_every_name_it_lists() {
        let (p, t) = vocab();
        let v = Vocabulary {
            provinces: &p,
            themes: &t,
        };
        for name in NAMES {
            let line = match *name {
                "view" => "view triage",
                "pick" => "pick 2",
                "lang" => "lang en",
                "theme" => "theme mono",
                "status" => "status pending",
                "outcome" => "outcome no_answer",
                n => n,
            };
            let c = Command::parse(line, &v).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(c.name(), *name);
        }
    }

    #[test]
    fn unknown_values_are_errors_naming_the_choices() {
        let (p, t) = vocab();
        let v = Vocabulary {
            provinces: &p,
            themes: &t,
        };
        assert_eq!(
            Command::parse("province gd", &v),
            Ok(Command::Province(Some("CN-GD".into())))
        );
        match Command::parse("province XX", &v) {
            Err(CommandError::BadValue { expected, .. }) => {
                assert!(expected.contains(&"BJ".into()))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Command::parse("lang xx", &v),
            Err(CommandError::BadValue { .. })
        ));
        assert!(matches!(
            Command::parse("theme foo", &v),
            Err(CommandError::BadValue { .. })
        ));
        assert!(matches!(
            Command::parse("approve now", &v),
            Err(CommandError::BadValue { .. })
        ));
        assert_eq!(
            Command::parse("frobnicate", &v),
            Err(CommandError::Unknown("frobnicate".into()))
        );
        assert_eq!(
            Command::parse("status pending,resubmitted", &v),
            Ok(Command::Status(vec![Status::Pending, Status::Resubmitted]))
        );
    }

    #[test]
    fn completes_names_then_values() {
        let (p, t) = vocab();
        let v = Vocabulary {
            provinces: &p,
            themes: &t,
        };
        assert_eq!(complete_line("ap", &v), vec!["approve"]);
        assert_eq!(
            complete_line("province g", &v),
            vec!["province GD", "province GS"]
        );
        assert_eq!(
            complete_line("status pending,re", &v),
            vec!["status pending,resubmitted", "status pending,rejected"]
        );
        assert_eq!(complete_line("theme l", &v), vec!["theme light"]);
        assert!(complete_line("zzz", &v).is_empty());
    }
}
