//! The TUI's one text table, `assets/text.toml`: every label on screen in Chinese and
//! English ([`L`]), what each command does (help, hints, palette), and English words for
//! domain values (their Chinese is the domain's own label). Nothing on screen is written
//! as a string literal at a render site.

use crate::config::Language;
use crate::domain::{
    AccessMethod, CallOutcome, CertType, ContentCategory, EventKind, FilingType, MaterialKind,
    Nature, ServiceType, SiteKind, Status,
};
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../assets/text.toml");

macro_rules! labels {
    ($($name:ident),+ $(,)?) => {
        /// A UI label; its text is `[label].<snake_case name>` of `assets/text.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum L { $($name),+ }
        impl L {
            /// Every label (for the completeness test).
            pub const ALL: &'static [L] = &[$(L::$name),+];
            /// The key in the table.
            pub fn key(self) -> &'static str {
                static KEYS: OnceLock<Vec<String>> = OnceLock::new();
                let keys = KEYS.get_or_init(|| {
                    [$(stringify!($name)),+].iter().map(|n| snake(n)).collect()
                });
                &keys[self as usize]
            }
            /// The label in a language.
            pub fn text(self, lang: Language) -> &'static str {
                let t = table();
                let pair = &t.labels[self as usize];
                match lang { Language::Zh => &pair[0], Language::En => &pair[1] }
            }
        }
    };
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

labels!(
    AppTitle,
    Queue,
    Subject,
    Sites,
    Materials,
    History,
    Findings,
    Id,
    Type,
    Province,
    SubjectName,
    Age,
    Flags,
    Claim,
    Status,
    Loading,
    SeedingDemo,
    SeedFailed,
    Empty,
    NoSelection,
    NoFindings,
    Name,
    Nature,
    Certificate,
    Region,
    Address,
    IcpNumber,
    Leader,
    IdNumber,
    Mobile,
    Emergency,
    Email,
    Office,
    ValidTo,
    LegalRep,
    Yes,
    No,
    Domains,
    Holder,
    Expires,
    Ips,
    Services,
    Languages,
    Content,
    PreApprovals,
    Access,
    Prepaid,
    AppInfo,
    Kind,
    File,
    Remarks,
    Previous,
    Masked,
    Revealed,
    ApproveTitle,
    ApproveAsk,
    ApproveBlocked,
    OverrideHint,
    OverrideTitle,
    RejectTitle,
    Preview,
    CallTitle,
    CallWho,
    CallWhen,
    CallWhy,
    Help,
    Committing,
    Approved,
    Rejected,
    CallScheduled,
    Undone,
    SearchPrompt,
    CommandPrompt,
    UnknownCommand,
    Filter,
    Sort,
    All,
    Reviewer,
    Orders,
    Open,
    Block,
    Warn,
    Overdue,
    NeedsNote,
    NeedsReason,
    Quit,
    Error,
    SortAge,
    SortProvince,
    SortFindings,
    DueCol,
    ViewReview,
    ViewTriage,
    NothingToUndo,
    AlreadyPending,
    PendingCount,
    NextIn,
    UnknownValue,
    Expected,
    FiltersCleared,
    SearchCleared,
    NoTty,
    OutsideCalendar,
    ReadOnly,
    Following,
    FollowingPaused,
    WatchedBy,
    FollowRefused,
    FollowSelf,
    FollowOffline,
    FollowStopped,
    NotFollowing,
    WhoTitle,
    WhoNobody,
    WhoFollowing,
    WhoYou,
    AsksDrive,
    DriveAsked,
    HandedOver,
    HandingOver,
    NobodyAsks,
    LayerGlobal,
    LayerQueue,
    LayerDetail,
    LayerApprove,
    LayerReject,
    LayerCall,
    LayerInput,
    LayerPrompt,
    LayerHelp,
    HelpScroll,
    Revealing,
    RevealFailed,
    ShownOf,
    DecidedMarker,
    Completions,
    CalendarOutside,
    UnsentTitle,
    UnsentAsk,
    UnsentLater,
    MadeAt,
    JournalUnavailable,
    Colour,
    Grey,
    BorderWhite,
    BorderNotWhite,
    Missing,
    Unreadable,
    NotChecked,
    Undecodable,
    PreviewLoading,
    NoPicture,
    NoMaterial,
    NoDesktop,
    Opened,
    Offline,
    RetryingIn,
    BackOnline,
    KeptOffline,
    HeldBy,
    DecidedBy,
    ChangedBy,
    JustNow,
    MinutesAgo,
    ClaimRefused,
    TookOver,
    AgendaTitle,
    StatsTitle,
    DueNow,
    CallOverdue,
    NoCalls,
    Phone,
    Who,
    Outcome,
    Time,
    Reason,
    RejectedBy,
    ByReason,
    Trend30,
    Marked,
    Reopened,
    Reassigned,
    Exported,
    LeadOnly,
    NothingMarked,
    NotTriage,
    NoCallSelected,
    NextApprove,
    NextReject,
    NextRetry,
    DecisionsPerReviewer,
    DecisionsPerDay,
    MedianFirst,
    WithinDeadline,
    RejectionReasons,
    BureauReasons,
    NoData,
    Minutes,
    Period,
    Resolved,
    StillPresent,
    PreviousReasons,
    ChangedHere,
    CallFlag,
    WeekMon,
    WeekTue,
    WeekWed,
    WeekThu,
    WeekFri,
    WeekSat,
    WeekSun,
    DaysShort,
);

/// A domain value with a wire name, a Chinese label of its own and an English one here.
pub trait Value: Copy + 'static {
    /// The `[value.<KIND>]` section.
    const KIND: &'static str;
    fn wire(self) -> &'static str;
    fn zh_label(self) -> &'static str;
}

macro_rules! values {
    ($($t:ty => $kind:literal),+ $(,)?) => {
        $(
            impl Value for $t {
                const KIND: &'static str = $kind;
                fn wire(self) -> &'static str { self.as_str() }
                fn zh_label(self) -> &'static str { self.zh() }
            }
        )+
        /// Every kind of domain value with the wire names of its values (one list for
        /// the table and its completeness test).
        fn value_kinds() -> Vec<(&'static str, Vec<&'static str>)> {
            vec![$(($kind, <$t>::ALL.iter().map(|v| v.as_str()).collect())),+]
        }
    };
}

values!(
    FilingType => "filing_type",
    Status => "status",
    Nature => "nature",
    CertType => "cert_type",
    SiteKind => "site_kind",
    ServiceType => "service_type",
    ContentCategory => "content_category",
    AccessMethod => "access_method",
    MaterialKind => "material_kind",
    EventKind => "event_kind",
    CallOutcome => "call_outcome",
);

/// A domain value in a language: the domain's Chinese label, or the English words of the
/// table (the wire name only if the table lacks it, which a test forbids).
pub fn value<V: Value>(v: V, lang: Language) -> &'static str {
    match lang {
        Language::Zh => v.zh_label(),
        Language::En => table()
            .values
            .get(&(V::KIND, v.wire()))
            .map_or(v.wire(), String::as_str),
    }
}

/// What a command does, by its name (`approve`), or `None` for a name the table lacks.
pub fn command(name: &str, lang: Language) -> Option<&'static str> {
    table().commands.get(name).map(|p| match lang {
        Language::Zh => p[0].as_str(),
        Language::En => p[1].as_str(),
    })
}

struct Table {
    labels: Vec<[String; 2]>,
    commands: HashMap<String, [String; 2]>,
    values: HashMap<(&'static str, &'static str), String>,
}

#[derive(serde::Deserialize)]
struct File {
    label: HashMap<String, [String; 2]>,
    command: HashMap<String, [String; 2]>,
    value: HashMap<String, HashMap<String, String>>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        // The table is compiled in and checked by the tests below; a key it lacks shows as
        // the key itself rather than stopping the reviewer's work.
        let file: File = toml::from_str(TABLE).unwrap_or_else(|e| {
            tracing::error!(error = %e, "assets/text.toml does not parse");
            File {
                label: HashMap::new(),
                command: HashMap::new(),
                value: HashMap::new(),
            }
        });
        let labels = L::ALL
            .iter()
            .map(|l| {
                file.label
                    .get(l.key())
                    .cloned()
                    .unwrap_or_else(|| [l.key().to_string(), l.key().to_string()])
            })
            .collect();
        let mut values = HashMap::new();
        for (kind, wires) in value_kinds() {
            for wire in wires {
                if let Some(en) = file.value.get(kind).and_then(|s| s.get(wire)) {
                    values.insert((kind, wire), en.clone());
                }
            }
        }
        Table {
            labels,
            commands: file.command,
            values,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> File {
        toml::from_str(TABLE).expect("assets/text.toml parses")
    }

    #[test]
    fn every_label_has_both_languages_and_no_key_is_orphaned() {
        let f = file();
        for l in L::ALL {
            let pair = f
                .label
                .get(l.key())
                .unwrap_or_else(|| panic!("no [label].{}", l.key()));
            assert!(!pair[0].is_empty() && !pair[1].is_empty(), "{l:?}");
        }
        for k in f.label.keys() {
            assert!(
                L::ALL.iter().any(|l| l.key() == k),
                "[label].{k} is not used by L"
            );
        }
        assert_eq!(L::SortAge.text(Language::Zh), "等待时长");
    }

    #[test]
    fn every_domain_value_has_english_words() {
        let kinds = value_kinds();
        assert_eq!(kinds.len(), 11);
        for (kind, wires) in kinds {
            for wire in wires {
                let en = table().values.get(&(kind, wire));
                assert!(
                    en.is_some_and(|e| !e.is_empty()),
                    "[value.{kind}].{wire} missing"
                );
            }
        }
        assert_eq!(value(FilingType::NewFiling, Language::En), "new filing");
        assert_eq!(
            value(CertType::ResidentId, Language::En),
            "resident ID card"
        );
        assert_eq!(value(FilingType::NewFiling, Language::Zh), "首次备案");
    }

    #[test]
    fn every_command_has_a_description() {
        for name in crate::tui::command::NAMES {
            assert!(command(name, Language::Zh).is_some(), "[command].{name}");
            assert!(command(name, Language::En).is_some(), "[command].{name}");
        }
    }
}

/// A label with its `{name}` placeholders filled in (word order differs by language, so
/// sentences are templates, not concatenations).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod fill_tests {
    #[test]
    fn placeholders_are_filled_in_any_order() {
        assert_eq!(
            super::fill("{who}{ago}已审核", &[("ago", "2分钟前"), ("who", "王芳")]),
            "王芳2分钟前已审核"
        );
        assert_eq!(super::fill("no holes", &[("who", "x")]), "no holes");
    }
}
