//! What cross-order rules know of other orders: an index by person, phone, e-mail, code,
//! server, account and subject, built in one pass.
//!
//! Every cross-order rule asks one question of one key: "is there a record under this
//! key whose subject differs from mine (and, for some rules, whose person or contacts
//! differ from mine)?". The index answers it in constant time whatever the number of
//! orders sharing the key: per key it keeps only the few records that can answer every
//! such question (see [`Witnesses`]), counted once when the order is inserted. Checking
//! n orders is therefore linear in n, even when all of them share one site leader.

use crate::domain::person::{id_key, phone_key};
use crate::domain::{AccessMethod, Order, Person};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A person as other orders record them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub order: String,
    /// Certificate number of the subject the person serves (upper-cased, trimmed).
    pub subject_cert: String,
    pub id_number: String,
    pub mobile: String,
    pub email: String,
}

/// Lookups the cross-order rules need. Each answers for the order under review (its
/// subject certificate `cert`, its id `order`) and returns a record of *another* order
/// that makes the rule fire, or nothing.
pub trait CrossIndex: Sync {
    /// A site leader with this id number, mobile (phone key) or e-mail (lower case)
    /// serving a subject other than `cert` (subjects with no certificate number ignored).
    fn site_leader_elsewhere(&self, key: &str, cert: &str) -> Option<&PersonRecord>;
    /// A legal representative with this id number, serving a subject other than `cert`,
    /// whose mobile or e-mail differs from `mobile` / `email`.
    fn legal_rep_conflict(
        &self,
        id_number: &str,
        cert: &str,
        mobile: &str,
        email: &str,
    ) -> Option<&PersonRecord>;
    /// A leader with this mobile, of a subject other than `cert`, with an id other than `id_number`.
    fn mobile_elsewhere(&self, mobile: &str, cert: &str, id_number: &str) -> Option<&PersonRecord>;
    /// A leader with this e-mail, of a subject other than `cert`, with an id other than `id_number`.
    fn email_elsewhere(&self, email: &str, cert: &str, id_number: &str) -> Option<&PersonRecord>;
    /// A subject leader with this id number leading a subject other than `cert`, in any
    /// order the index holds, whatever its status (withdrawn and abandoned ones too).
    fn subject_leader_elsewhere(&self, id_number: &str, cert: &str) -> Option<&PersonRecord>;
    /// An order other than `order` using this authorisation code.
    fn auth_code_user_elsewhere(&self, code: &str, order: &str) -> Option<&str>;
    /// How many distinct codes a server has issued, and whether `code` is one of them.
    fn codes_of_resource(&self, resource_id: &str, code: &str) -> (usize, bool);
    /// An order other than `order`, under review, of this account or of this subject.
    fn in_review_elsewhere(&self, account: &str, cert: &str, order: &str) -> Option<&str>;
}

/// The records under one key, reduced to at most six that answer exactly, for any
/// `(a, b)`, "is there a record whose first attribute differs from `a` and whose second
/// differs from `b`?" (for single-attribute questions the second attribute is constant).
///
/// Slots, in insertion order of the records they hold: `r0` the first record; `r1` the
/// first whose `b` differs from `r0`'s, `r1b` the first of those whose `a` differs from
/// `r1`'s; `r2` the first whose `a` differs from `r0`'s, `r2b` the first of those whose
/// `b` differs from `r2`'s; `r3` the first differing from `r0` in both. Case by case:
/// `a ≠ a0, b ≠ b0` → `r0`; `b = b0` → one of `r1`, `r1b` if any record answers; `a = a0`
/// → one of `r2`, `r2b`; both equal → `r3`.
#[derive(Debug, Clone, Copy, Default)]
struct Witnesses {
    slots: [Option<u32>; 6],
}

const R0: usize = 0;
const R1: usize = 1;
const R1B: usize = 2;
const R2: usize = 3;
const R2B: usize = 4;
const R3: usize = 5;

/// What a question compares of one record: its subject, and a second attribute.
type Key<'r> = (&'r str, (&'r str, &'r str));

impl Witnesses {
    /// Consider record `new` (`key` gives any record's attributes).
    fn add<'r>(&mut self, key: impl Fn(u32) -> Key<'r>, new: u32) {
        let (a, b) = key(new);
        let Some(r0) = self.slots[R0] else {
            self.slots[R0] = Some(new);
            return;
        };
        let (a0, b0) = key(r0);
        let (a_differs, b_differs) = (a != a0, b != b0);
        if b_differs {
            match self.slots[R1] {
                None => self.slots[R1] = Some(new),
                Some(r1) if self.slots[R1B].is_none() && a != key(r1).0 => {
                    self.slots[R1B] = Some(new)
                }
                _ => {}
            }
        }
        if a_differs {
            match self.slots[R2] {
                None => self.slots[R2] = Some(new),
                Some(r2) if self.slots[R2B].is_none() && b != key(r2).1 => {
                    self.slots[R2B] = Some(new)
                }
                _ => {}
            }
        }
        if a_differs && b_differs && self.slots[R3].is_none() {
            self.slots[R3] = Some(new);
        }
    }

    /// The first record (in insertion order) whose subject differs from `a` and whose
    /// second attribute differs from `b`. The first such record of all is always one of
    /// the slots (each slot is the first record of a class, and the classes cover every
    /// case), so the answer does not depend on how the records were reduced: an index
    /// built from the witnesses alone, in their order, answers like the full one.
    fn find<'r>(&self, key: impl Fn(u32) -> Key<'r>, a: &str, b: (&str, &str)) -> Option<u32> {
        self.slots
            .iter()
            .flatten()
            .copied()
            .filter(|i| {
                let (x, y) = key(*i);
                x != a && y != b
            })
            .min()
    }

    /// The records in the slots, in insertion order, each once.
    fn members(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.slots.iter().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Which contact a question compares besides the subject.
#[derive(Debug, Clone, Copy)]
enum Second {
    /// Nothing: single-attribute questions.
    Nothing,
    IdNumber,
    Contacts,
    /// Questions about other orders: the first attribute is the order, not its subject.
    Order,
}

fn view(r: &PersonRecord, second: Second) -> Key<'_> {
    let b = match second {
        Second::Nothing | Second::Order => ("", ""),
        Second::IdNumber => (r.id_number.as_str(), ""),
        Second::Contacts => (r.mobile.as_str(), r.email.as_str()),
    };
    let a = match second {
        Second::Order => r.order.as_str(),
        _ => r.subject_cert.as_str(),
    };
    (a, b)
}

/// The parts of the index: one question each, asked under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// Site leaders (of subjects with a certificate number) by id, mobile and e-mail.
    SiteLeader,
    /// Legal representatives by id number.
    LegalRep,
    /// Leaders by mobile (phone key).
    Mobile,
    /// Leaders by e-mail (lower case).
    Email,
    /// Subject leaders (of subjects with a certificate number) by id number, whatever
    /// the order's status.
    SubjectLeader,
    /// Orders by the authorisation codes they use.
    AuthCode,
    /// The codes a server (resource id) issued; the entry's `value` is the code.
    Resource,
    /// Orders under review by account.
    Account,
    /// Orders under review by subject certificate.
    Subject,
}

impl Part {
    pub const ALL: [Part; 9] = [
        Part::SiteLeader,
        Part::LegalRep,
        Part::Mobile,
        Part::Email,
        Part::SubjectLeader,
        Part::AuthCode,
        Part::Resource,
        Part::Account,
        Part::Subject,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Part::SiteLeader => "site_leader",
            Part::LegalRep => "legal_rep",
            Part::Mobile => "mobile",
            Part::Email => "email",
            Part::SubjectLeader => "subject_leader",
            Part::AuthCode => "auth_code",
            Part::Resource => "resource",
            Part::Account => "account",
            Part::Subject => "subject",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.as_str() == s)
    }

    fn second(self) -> Second {
        match self {
            Part::SiteLeader | Part::SubjectLeader => Second::Nothing,
            Part::LegalRep => Second::Contacts,
            Part::Mobile | Part::Email => Second::IdNumber,
            Part::AuthCode | Part::Resource | Part::Account | Part::Subject => Second::Order,
        }
    }
}

/// One entry an order puts in the index: under `part` and `key`, the record (for the
/// parts about orders only `record.order` counts) and, for [`Part::Resource`], the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub part: Part,
    pub key: String,
    pub record: PersonRecord,
    pub value: String,
}

/// The entries `o` puts in the index, in the order the index takes them (an index is
/// the same whichever way it is filled, as long as orders come in the same order and each
/// order's entries in this order). Withdrawn and abandoned orders hold no resources
/// (codes, contacts): only their subject leader is kept, for LEAD-SUBJ-REUSE-HA
/// ("whatever its status").
pub fn entries(o: &Order) -> Vec<Entry> {
    let cert = id_key(&o.subject.certificate.number);
    let record = |p: &Person| PersonRecord {
        order: o.id.clone(),
        subject_cert: cert.clone(),
        id_number: id_key(&p.id_number),
        mobile: phone_key(&p.mobile),
        email: email_key(&p.email),
    };
    let of_order = || PersonRecord {
        order: o.id.clone(),
        subject_cert: String::new(),
        id_number: String::new(),
        mobile: String::new(),
        email: String::new(),
    };
    let mut out = Vec::new();
    let mut push = |part: Part, key: &str, record: PersonRecord, value: &str| {
        out.push(Entry {
            part,
            key: key.to_string(),
            record,
            value: value.to_string(),
        })
    };
    let sl = record(&o.subject.leader);
    if !cert.is_empty() && !sl.id_number.is_empty() {
        push(Part::SubjectLeader, &sl.id_number.clone(), sl.clone(), "");
    }
    if o.status.is_dropped() {
        return out;
    }
    let leaders = std::iter::once((&o.subject.leader, false))
        .chain(o.sites.iter().map(|s| (&s.leader, true)));
    for (person, site_leader) in leaders {
        let r = record(person);
        if !r.mobile.is_empty() {
            push(Part::Mobile, &r.mobile, r.clone(), "");
        }
        if !r.email.is_empty() {
            push(Part::Email, &r.email, r.clone(), "");
        }
        if person.is_legal_representative && !r.id_number.is_empty() {
            push(Part::LegalRep, &r.id_number, r.clone(), "");
        }
        if site_leader && !cert.is_empty() {
            for key in [&r.id_number, &r.mobile, &r.email] {
                if !key.is_empty() {
                    push(Part::SiteLeader, key, r.clone(), "");
                }
            }
        }
    }
    for s in &o.sites {
        if s.access.method == AccessMethod::AuthCode
            && let Some(code) = s
                .access
                .auth_code
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
        {
            push(Part::AuthCode, code, of_order(), "");
            let rid = s.access.resource_id.trim();
            if !rid.is_empty() {
                push(Part::Resource, rid, of_order(), code);
            }
        }
    }
    if o.status.in_review() {
        push(Part::Account, o.account.trim(), of_order(), "");
        if !cert.is_empty() {
            push(Part::Subject, &cert, of_order(), "");
        }
    }
    out
}

/// Of `records` (the entries under one key of one part, in index order), the ones an
/// index needs to answer every question under that key: the witnesses, in order. An
/// index built from the witnesses alone answers exactly like one built from all of
/// them. (Not for [`Part::Resource`], whose answer counts codes.)
pub fn witnesses(part: Part, records: &[PersonRecord]) -> Vec<usize> {
    let mut w = Witnesses::default();
    let second = part.second();
    for i in 0..records.len() {
        w.add(|j| view(&records[j as usize], second), i as u32);
    }
    w.members().into_iter().map(|i| i as usize).collect()
}

/// Witnesses per key for one question.
#[derive(Debug, Clone)]
struct Question {
    second: Second,
    by_key: HashMap<String, Witnesses>,
}

impl Question {
    fn new(second: Second) -> Self {
        Question {
            second,
            by_key: HashMap::default(),
        }
    }

    fn add(&mut self, records: &[PersonRecord], key: &str, i: u32) {
        let second = self.second;
        let w = match self.by_key.get_mut(key) {
            Some(w) => w,
            None => self.by_key.entry(key.to_string()).or_default(),
        };
        w.add(|j| view(&records[j as usize], second), i);
    }

    fn find<'a>(
        &self,
        records: &'a [PersonRecord],
        key: &str,
        a: &str,
        b: (&str, &str),
    ) -> Option<&'a PersonRecord> {
        let second = self.second;
        self.by_key
            .get(key)?
            .find(|j| view(&records[j as usize], second), a, b)
            .map(|j| &records[j as usize])
    }
}

/// An in-memory [`CrossIndex`].
#[derive(Debug, Clone)]
pub struct MemoryIndex {
    records: Vec<PersonRecord>,
    site_leaders: Question,
    legal_reps: Question,
    mobiles: Question,
    emails: Question,
    subject_leaders: Question,
    auth_codes: Question,
    resources: HashMap<String, HashSet<String>>,
    accounts: Question,
    subjects: Question,
}

impl Default for MemoryIndex {
    fn default() -> Self {
        MemoryIndex {
            records: Vec::new(),
            site_leaders: Question::new(Part::SiteLeader.second()),
            legal_reps: Question::new(Part::LegalRep.second()),
            mobiles: Question::new(Part::Mobile.second()),
            emails: Question::new(Part::Email.second()),
            subject_leaders: Question::new(Part::SubjectLeader.second()),
            auth_codes: Question::new(Part::AuthCode.second()),
            resources: HashMap::default(),
            accounts: Question::new(Part::Account.second()),
            subjects: Question::new(Part::Subject.second()),
        }
    }
}

/// E-mail addresses compare case-insensitively, without surrounding spaces.
pub fn email_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Matches no second attribute: single-attribute questions compare subjects only.
const ANY: (&str, &str) = ("\u{0}", "");

impl MemoryIndex {
    pub fn build<'a>(orders: impl IntoIterator<Item = &'a Order>) -> Self {
        let mut ix = MemoryIndex::default();
        for o in orders {
            ix.insert(o);
        }
        ix
    }

    /// Add an order: its [`entries`], in order.
    pub fn insert(&mut self, o: &Order) {
        for e in entries(o) {
            self.add(e);
        }
    }

    /// Add one entry (after every entry of the orders that came before it).
    pub fn add(&mut self, e: Entry) {
        let question = match e.part {
            Part::SiteLeader => &mut self.site_leaders,
            Part::LegalRep => &mut self.legal_reps,
            Part::Mobile => &mut self.mobiles,
            Part::Email => &mut self.emails,
            Part::SubjectLeader => &mut self.subject_leaders,
            Part::AuthCode => &mut self.auth_codes,
            Part::Account => &mut self.accounts,
            Part::Subject => &mut self.subjects,
            Part::Resource => {
                self.resources.entry(e.key).or_default().insert(e.value);
                return;
            }
        };
        self.records.push(e.record);
        let i = (self.records.len() - 1) as u32;
        question.add(&self.records, &e.key, i);
    }
}

impl CrossIndex for MemoryIndex {
    fn site_leader_elsewhere(&self, key: &str, cert: &str) -> Option<&PersonRecord> {
        self.site_leaders.find(&self.records, key, cert, ANY)
    }
    fn legal_rep_conflict(
        &self,
        id_number: &str,
        cert: &str,
        mobile: &str,
        email: &str,
    ) -> Option<&PersonRecord> {
        self.legal_reps
            .find(&self.records, id_number, cert, (mobile, email))
    }
    fn mobile_elsewhere(&self, mobile: &str, cert: &str, id_number: &str) -> Option<&PersonRecord> {
        self.mobiles
            .find(&self.records, mobile, cert, (id_number, ""))
    }
    fn email_elsewhere(&self, email: &str, cert: &str, id_number: &str) -> Option<&PersonRecord> {
        self.emails
            .find(&self.records, email, cert, (id_number, ""))
    }
    fn subject_leader_elsewhere(&self, id_number: &str, cert: &str) -> Option<&PersonRecord> {
        self.subject_leaders
            .find(&self.records, id_number, cert, ANY)
    }
    fn auth_code_user_elsewhere(&self, code: &str, order: &str) -> Option<&str> {
        self.auth_codes
            .find(&self.records, code, order, ANY)
            .map(|r| r.order.as_str())
    }
    fn codes_of_resource(&self, resource_id: &str, code: &str) -> (usize, bool) {
        self.resources
            .get(resource_id)
            .map_or((0, false), |c| (c.len(), c.contains(code)))
    }
    fn in_review_elsewhere(&self, account: &str, cert: &str, order: &str) -> Option<&str> {
        self.accounts
            .find(&self.records, account, order, ANY)
            .or_else(|| {
                if cert.is_empty() {
                    None
                } else {
                    self.subjects.find(&self.records, cert, order, ANY)
                }
            })
            .map(|r| r.order.as_str())
    }
}

/// A [`CrossIndex`] that answers nothing and notes every question asked: run the rules
/// on an order with it to learn which parts and keys its findings depend on (answers
/// only ever end a search early, so a run that finds nothing asks every question a run
/// with answers can ask).
#[derive(Debug, Default)]
pub struct Asked {
    asked: std::sync::Mutex<Vec<(Part, String)>>,
}

impl Asked {
    fn note(&self, part: Part, key: &str) {
        if let Ok(mut v) = self.asked.lock() {
            v.push((part, key.to_string()));
        }
    }

    /// The parts and keys asked about, each once, sorted.
    pub fn into_keys(self) -> Vec<(Part, String)> {
        let mut v = self.asked.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort();
        v.dedup();
        v
    }
}

impl CrossIndex for Asked {
    fn site_leader_elsewhere(&self, key: &str, _: &str) -> Option<&PersonRecord> {
        self.note(Part::SiteLeader, key);
        None
    }
    fn legal_rep_conflict(&self, id: &str, _: &str, _: &str, _: &str) -> Option<&PersonRecord> {
        self.note(Part::LegalRep, id);
        None
    }
    fn mobile_elsewhere(&self, mobile: &str, _: &str, _: &str) -> Option<&PersonRecord> {
        self.note(Part::Mobile, mobile);
        None
    }
    fn email_elsewhere(&self, email: &str, _: &str, _: &str) -> Option<&PersonRecord> {
        self.note(Part::Email, email);
        None
    }
    fn subject_leader_elsewhere(&self, id: &str, _: &str) -> Option<&PersonRecord> {
        self.note(Part::SubjectLeader, id);
        None
    }
    fn auth_code_user_elsewhere(&self, code: &str, _: &str) -> Option<&str> {
        self.note(Part::AuthCode, code);
        None
    }
    fn codes_of_resource(&self, resource_id: &str, _: &str) -> (usize, bool) {
        self.note(Part::Resource, resource_id);
        (0, false)
    }
    fn in_review_elsewhere(&self, account: &str, cert: &str, _: &str) -> Option<&str> {
        self.note(Part::Account, account);
        if !cert.is_empty() {
            self.note(Part::Subject, cert);
        }
        None
    }
}

/// Keys used to look people up.
pub fn keys_of(p: &Person) -> [String; 3] {
    [
        id_key(&p.id_number),
        phone_key(&p.mobile),
        email_key(&p.email),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    struct T(&'static str, &'static str);

    /// The witnesses answer exactly like a scan of every record, on every small case.
    #[test]
    fn witnesses_answer_like_a_full_scan() {
        let vals = ["x", "y", "z"];
        let all: Vec<T> = vals
            .iter()
            .flat_map(|a| vals.iter().map(move |b| T(a, b)))
            .collect();
        // Every sequence of up to 4 records drawn from the 9 combinations.
        let mut seqs: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..4 {
            let mut next = Vec::new();
            for s in &seqs {
                for i in 0..all.len() {
                    let mut t = s.clone();
                    t.push(i);
                    next.push(t);
                }
            }
            seqs.extend(next);
        }
        for seq in seqs {
            let items: Vec<T> = seq.iter().map(|i| T(all[*i].0, all[*i].1)).collect();
            let key = |i: u32| -> Key<'_> {
                let t = &items[i as usize];
                (t.0, (t.1, ""))
            };
            let mut w = Witnesses::default();
            for i in 0..items.len() {
                w.add(key, i as u32);
            }
            for a in vals {
                for b in vals {
                    let scan = items.iter().position(|r| r.0 != a && r.1 != b);
                    let found = w.find(key, a, (b, ""));
                    // The first matching record of all, not merely one of them.
                    assert_eq!(scan, found.map(|i| i as usize), "{seq:?} asked ({a}, {b})");
                    // The witnesses alone, in order, answer the same.
                    let members = w.members();
                    let mut again = Witnesses::default();
                    for m in &members {
                        again.add(key, *m);
                    }
                    assert_eq!(again.find(key, a, (b, "")), found, "{seq:?} reduced");
                }
            }
        }
    }
}
