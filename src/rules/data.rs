//! Rule data that changes over time, loaded from `assets/rules/` at start.
//!
//! Every file starts with a `# source:` line naming where its facts come from. The
//! files are compiled into the binary as defaults; `RuleData::from_dir` reads a
//! directory with the same file names instead (config `rules_dir`).

use super::text::WordList;
use crate::domain::{CertType, ContentCategory, FilingType, MaterialKind, Nature};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::path::Path;

/// How sure the research is of a fact: only current facts block; old or uncertain
/// ones warn (rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    #[default]
    Current,
    Old,
    Uncertain,
}

/// A fact with its confidence.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Fact<T> {
    pub value: T,
    #[serde(default)]
    pub confidence: Confidence,
    /// Where it comes from (source keys of domain-research.md), shown to reviewers.
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeaderPolicy {
    /// The subject leader must be the legal representative.
    Must,
    /// Someone else may lead with the legal representative's authorisation letter.
    Letter,
    /// No requirement.
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MobileScope {
    /// Every leader's mobile must be local.
    All,
    /// Site (ICP) leaders only.
    SiteLeaders,
    /// Only when the subject is an individual.
    Individuals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrossProvince {
    /// Individuals from another province cannot file here.
    No,
    /// Allowed with a local residence permit.
    Permit,
    /// Allowed.
    Yes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TldScope {
    All,
    Individuals,
}

/// A province's minimum age for one kind of filing: below `min` the filing is refused;
/// from `min` up to `proof_below` the province asks for extra proof instead (a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeLimit {
    pub min: u8,
    pub proof_below: Option<u8>,
}

/// A province's rule for leaders' office phones (CONTACT-OFFICE-PHONE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficePhoneRule {
    /// Must be a landline.
    Landline,
    /// Must differ from the same leader's mobile.
    NotLeaderMobile,
    /// A mobile may serve as office phone, but the remarks must say who answers it.
    MobileNeedsRemark,
}

/// One province's parameters (domain-research.md §1.10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    /// ISO 3166-2:CN, e.g. `CN-LN`.
    pub code: String,
    /// GB/T 2260 two-digit code, e.g. 21.
    pub gb: u8,
    pub name: String,
    pub name_en: String,
    /// ICP number abbreviation, e.g. 辽.
    pub abbr: String,
    pub subject_leader: Option<Fact<LeaderPolicy>>,
    /// An authorisation letter is needed when a site leader is not the legal representative.
    pub site_leader_letter: Option<Fact<bool>>,
    pub local_mobile: Option<Fact<MobileScope>>,
    pub personal_cross_province: Option<Fact<CrossProvince>>,
    /// Whether a domain held by the legal representative (not the unit) is accepted.
    pub domain_holder_legalrep: Option<Fact<bool>>,
    /// Subject leader not the legal representative ⇒ every site leader must be the subject leader.
    pub nonlegal_same_leader: Option<Fact<bool>>,
    /// At most this many sites in one order.
    pub max_sites: Option<Fact<u32>>,
    /// At most this many domains in one order (organisations and individuals).
    pub max_domains: Option<Fact<u32>>,
    /// At most this many domains in one order, organisations only.
    pub max_domains_org: Option<Fact<u32>>,
    /// At most this many domains in one `new_filing` of an individual.
    pub max_domains_individual_new: Option<Fact<u32>>,
    /// One domain per site.
    pub one_domain: Option<Fact<bool>>,
    /// `.org` domains not accepted.
    pub org_tld_forbidden: Option<Fact<TldScope>>,
    /// Minimum age in `individual` filings (default 18).
    pub min_age_individual: Option<Fact<AgeLimit>>,
    /// Minimum age of an organisation's leaders (default 18).
    pub min_age_org_leader: Option<Fact<AgeLimit>>,
    /// An e-mail reused by another person of another subject blocks (warns elsewhere).
    pub email_reuse_blocks: Option<Fact<bool>>,
    /// What the province asks of a leader's office phone.
    pub office_phone: Option<Fact<OfficePhoneRule>>,
    /// A subject leader may not already lead another subject.
    pub subject_leader_unique: Option<Fact<bool>>,
    /// The address and the certificate's address must lie in one prefecture.
    pub address_same_city: Option<Fact<bool>>,
    /// A party-building confirmation (党建证明) for new filings and new sites.
    #[serde(default)]
    pub party_building_cert: bool,
    /// Business licence must carry a provincial registration seal (checked by eye).
    #[serde(default)]
    pub licence_seal_check: bool,
    /// Content categories needing pre-approval here on top of the national list.
    #[serde(default)]
    pub extra_preapproval: Vec<ContentCategory>,
    /// Shortest acceptable image side in pixels (default 600).
    pub min_image_side: Option<u32>,
    /// Free-text notes for reviewers (shown in the TUI's province card).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ProvincesFile {
    province: Vec<Province>,
}

/// A word list entry mapping a site-name word to a pre-approval category.
#[derive(Debug, Clone, Deserialize)]
pub struct CategoryWord {
    pub word: String,
    /// None: no category can satisfy it (e.g. 论坛), always a warning.
    pub category: Option<ContentCategory>,
    /// Legacy categories (approvals abolished) only warn.
    #[serde(default)]
    pub legacy: bool,
}

/// Naming word lists (domain-research.md §2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// Enterprise suffixes (NAME-NATURE-MISMATCH).
    pub organisation_suffixes: Vec<String>,
    /// Company words that block an individual's site name.
    pub individual_company_words: WordList,
    /// Softer organisation / business markers that warn on an individual's site name.
    pub individual_soft_words: WordList,
    /// Reserved prefixes for non-government subjects.
    pub national_prefixes: Vec<String>,
    pub public_affairs_words: WordList,
    pub sensitive_words: WordList,
    pub finance_words: WordList,
    pub category_words: Vec<CategoryWord>,
    /// LN: subject names with these words need both leaders to be the legal representative.
    pub ln_finance_words: WordList,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subjects {
    /// Certificate types accepted per subject nature.
    pub certificates: HashMap<Nature, Vec<CertType>>,
    /// First two characters of a USCC accepted per nature.
    pub credit_code_prefixes: HashMap<Nature, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalData {
    /// Categories needing a pre-approval everywhere.
    pub required: Vec<ContentCategory>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppData {
    /// Runtime platforms (lower case).
    pub runtimes: Vec<String>,
    /// App markets (lower case), and words that mark a market.
    pub stores: Vec<String>,
    pub store_markers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Subject,
    Site,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Always,
    /// Only when the site leader is not the subject leader.
    LeadersDiffer,
    /// Only for `kind: app` sites.
    App,
}

/// One line of the required-materials table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub kind: MaterialKind,
    /// Other kinds that satisfy the requirement as well.
    #[serde(default)]
    pub also: Vec<MaterialKind>,
    /// Empty: every nature.
    #[serde(default)]
    pub natures: Vec<Nature>,
    pub filing_types: Vec<FilingType>,
    /// Empty: every province.
    #[serde(default)]
    pub provinces: Vec<String>,
    pub scope: Scope,
    #[serde(default = "always")]
    pub when: Condition,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub source: String,
}

fn always() -> Condition {
    Condition::Always
}

#[derive(Debug, Deserialize)]
struct MaterialsFile {
    require: Vec<Requirement>,
    accept: MaterialLimits,
}

/// Accepted material formats and limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialLimits {
    pub formats: Vec<String>,
    pub max_bytes: u64,
    pub max_bytes_confidence: Confidence,
    pub icon_max_bytes: u64,
    pub min_image_side: u32,
}

/// A standard rejection reason (驳回原因).
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReasonDef {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ReasonsFile {
    reason: Vec<ReasonDef>,
}

/// Mobile number prefix (号段) → province, longest prefix wins.
#[derive(Debug, Clone, Default)]
pub struct PrefixTable {
    by_prefix: HashMap<u64, (u8, u8)>,
    lengths: Vec<u8>,
}

impl PrefixTable {
    fn parse(text: &str, file: &str) -> Result<Self, DataError> {
        let mut t = PrefixTable::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || DataError::new(file, format!("line {}: expected PREFIX<TAB>CN-XX", n + 1));
            let (prefix, code) = line.split_once('\t').ok_or_else(bad)?;
            if prefix.is_empty() || prefix.len() > 11 || !prefix.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad());
            }
            let code = code.trim().as_bytes();
            if code.len() != 5 || !code.starts_with(b"CN-") {
                return Err(bad());
            }
            let key: u64 = prefix.parse().map_err(|_| bad())?;
            t.by_prefix
                .insert(key * 100 + prefix.len() as u64, (code[3], code[4]));
            if !t.lengths.contains(&(prefix.len() as u8)) {
                t.lengths.push(prefix.len() as u8);
            }
        }
        t.lengths.sort_unstable_by(|a, b| b.cmp(a));
        Ok(t)
    }

    /// The province code (`CN-XX`) of an 11-digit mobile, if the table knows its prefix.
    pub fn province_of(&self, mobile11: &str) -> Option<String> {
        if mobile11.len() != 11 || !mobile11.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        for &len in &self.lengths {
            let key: u64 = mobile11[..len as usize].parse().ok()?;
            if let Some((a, b)) = self.by_prefix.get(&(key * 100 + u64::from(len))) {
                return Some(format!("CN-{}{}", *a as char, *b as char));
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.by_prefix.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }
}

pub use super::divisions::{Division, Divisions, Level};

/// A rule-data file that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct DataError {
    pub file: String,
    pub message: String,
}

impl DataError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// All rule data.
#[derive(Debug, Clone)]
pub struct RuleData {
    /// Approved TLDs, ASCII (punycode) lower case, without the dot.
    pub tlds: HashSet<String>,
    pub naming: Naming,
    pub subjects: Subjects,
    pub preapproval: PreapprovalData,
    pub app: AppData,
    pub provinces: Vec<Province>,
    pub requirements: Vec<Requirement>,
    pub limits: MaterialLimits,
    pub reasons: Vec<ReasonDef>,
    pub mobile_prefixes: PrefixTable,
    /// Provinces and prefecture-level cities with their short forms.
    pub divisions: Divisions,
    /// The words of `naming.category_words`, in the same order, as one matcher.
    pub category_matcher: WordList,
    by_code: HashMap<String, usize>,
    by_gb: HashMap<u8, usize>,
    reason_by_rule: HashMap<String, usize>,
}

/// The file names under `assets/rules/`.
pub const FILES: [&str; 10] = [
    "tlds.txt",
    "naming.toml",
    "subjects.toml",
    "preapproval.toml",
    "app.toml",
    "provinces.toml",
    "materials.toml",
    "reasons.toml",
    "mobile_prefixes.tsv",
    "divisions.tsv",
];

macro_rules! embedded {
    ($name:literal) => {
        ($name, include_str!(concat!("../../assets/rules/", $name)))
    };
}

const EMBEDDED: [(&str, &str); 10] = [
    embedded!("tlds.txt"),
    embedded!("naming.toml"),
    embedded!("subjects.toml"),
    embedded!("preapproval.toml"),
    embedded!("app.toml"),
    embedded!("provinces.toml"),
    embedded!("materials.toml"),
    embedded!("reasons.toml"),
    embedded!("mobile_prefixes.tsv"),
    embedded!("divisions.tsv"),
];

fn toml_file<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, DataError> {
    require_source(name, text)?;
    toml::from_str(text).map_err(|e| DataError::new(name, e.to_string()))
}

fn require_source(name: &str, text: &str) -> Result<(), DataError> {
    if text
        .lines()
        .next()
        .is_some_and(|l| l.starts_with("# source:"))
    {
        Ok(())
    } else {
        Err(DataError::new(
            name,
            "the first line must be a `# source:` header naming where the data comes from",
        ))
    }
}

impl RuleData {
    /// The data compiled into the binary.
    pub fn embedded() -> Result<Self, DataError> {
        Self::from_texts(|name| {
            EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| DataError::new(name, "not embedded"))
        })
    }

    /// Read the data files from a directory (same names as `assets/rules/`).
    pub fn from_dir(dir: &Path) -> Result<Self, DataError> {
        Self::from_texts(|name| {
            let p = dir.join(name);
            std::fs::read_to_string(&p)
                .map_err(|e| DataError::new(&p.display().to_string(), e.to_string()))
        })
    }

    fn from_texts(read: impl Fn(&str) -> Result<String, DataError>) -> Result<Self, DataError> {
        let tlds_text = read("tlds.txt")?;
        require_source("tlds.txt", &tlds_text)?;
        let mut tlds = HashSet::default();
        for line in tlds_text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let ascii = idna::domain_to_ascii(line.trim_start_matches('.'))
                .map_err(|_| DataError::new("tlds.txt", format!("not a TLD: {line:?}")))?;
            tlds.insert(ascii);
        }
        let naming: Naming = toml_file("naming.toml", &read("naming.toml")?)?;
        let subjects: Subjects = toml_file("subjects.toml", &read("subjects.toml")?)?;
        let preapproval: PreapprovalData =
            toml_file("preapproval.toml", &read("preapproval.toml")?)?;
        let app: AppData = toml_file("app.toml", &read("app.toml")?)?;
        let provinces: ProvincesFile = toml_file("provinces.toml", &read("provinces.toml")?)?;
        let materials: MaterialsFile = toml_file("materials.toml", &read("materials.toml")?)?;
        let reasons: ReasonsFile = toml_file("reasons.toml", &read("reasons.toml")?)?;
        let prefix_text = read("mobile_prefixes.tsv")?;
        require_source("mobile_prefixes.tsv", &prefix_text)?;
        let mobile_prefixes = PrefixTable::parse(&prefix_text, "mobile_prefixes.tsv")?;
        let division_text = read("divisions.tsv")?;
        require_source("divisions.tsv", &division_text)?;
        let divisions = Divisions::parse(&division_text, "divisions.tsv")?;

        let provinces = provinces.province;
        let mut by_code = HashMap::default();
        let mut by_gb = HashMap::default();
        for (i, p) in provinces.iter().enumerate() {
            if by_code.insert(p.code.clone(), i).is_some() || by_gb.insert(p.gb, i).is_some() {
                return Err(DataError::new(
                    "provinces.toml",
                    format!("province {} listed twice", p.code),
                ));
            }
        }
        if provinces.len() != 31 {
            return Err(DataError::new(
                "provinces.toml",
                format!(
                    "expected the 31 mainland provinces, found {}",
                    provinces.len()
                ),
            ));
        }
        for gb in by_gb.keys() {
            if !divisions.has_province(*gb) {
                return Err(DataError::new(
                    "divisions.tsv",
                    format!("province {gb} of provinces.toml is missing"),
                ));
            }
        }
        for r in &materials.require {
            for code in &r.provinces {
                if !by_code.contains_key(code) {
                    return Err(DataError::new(
                        "materials.toml",
                        format!("unknown province {code}"),
                    ));
                }
            }
        }
        let mut reason_by_rule = HashMap::default();
        for (i, r) in reasons.reason.iter().enumerate() {
            for rule in &r.rules {
                if reason_by_rule.insert(rule.clone(), i).is_some() {
                    return Err(DataError::new(
                        "reasons.toml",
                        format!("rule {rule} maps to two reasons"),
                    ));
                }
            }
        }
        let category_matcher = WordList::new(
            naming
                .category_words
                .iter()
                .map(|c| c.word.clone())
                .collect(),
        )
        .map_err(|e| DataError::new("naming.toml", e))?;
        Ok(RuleData {
            category_matcher,
            tlds,
            naming,
            subjects,
            preapproval,
            app,
            provinces,
            requirements: materials.require,
            limits: materials.accept,
            reasons: reasons.reason,
            mobile_prefixes,
            divisions,
            by_code,
            by_gb,
            reason_by_rule,
        })
    }

    /// The province of an ISO code (`CN-LN`; the numeric form `CN-21` is read too).
    pub fn province(&self, code: &str) -> Option<&Province> {
        let code = code.trim();
        if let Some(i) = self.by_code.get(code) {
            return Some(&self.provinces[*i]);
        }
        let gb: u8 = code.strip_prefix("CN-")?.parse().ok()?;
        self.province_by_gb(gb)
    }

    /// The province of a GB/T 2260 two-digit code.
    pub fn province_by_gb(&self, gb: u8) -> Option<&Province> {
        self.by_gb.get(&gb).map(|i| &self.provinces[*i])
    }

    /// The rejection reason a rule maps to.
    pub fn reason_for(&self, rule: &str) -> Option<&ReasonDef> {
        self.reason_by_rule.get(rule).map(|i| &self.reasons[*i])
    }

    /// The code of the rejection reason a rule maps to.
    pub fn reason_code(&self, rule: &str) -> Option<&str> {
        self.reason_for(rule).map(|r| r.code.as_str())
    }
}
