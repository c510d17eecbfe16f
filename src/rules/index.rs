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

    /// A record whose subject differs from `a` and whose second attribute differs from `b`.
    fn find<'r>(&self, key: impl Fn(u32) -> Key<'r>, a: &str, b: (&str, &str)) -> Option<u32> {
        self.slots.iter().flatten().copied().find(|i| {
            let (x, y) = key(*i);
            x != a && y != b
        })
    }
}

/// Which contact a question compares besides the subject.
#[derive(Debug, Clone, Copy)]
enum Second {
    /// Nothing: single-attribute questions.
    Nothing,
    IdNumber,
    Contacts,
}

fn view(r: &PersonRecord, second: Second) -> Key<'_> {
    let b = match second {
        Second::Nothing => ("", ""),
        Second::IdNumber => (r.id_number.as_str(), ""),
        Second::Contacts => (r.mobile.as_str(), r.email.as_str()),
    };
    (r.subject_cert.as_str(), b)
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
    /// Code → up to two distinct orders using it.
    auth_codes: HashMap<String, [Option<String>; 2]>,
    resources: HashMap<String, HashSet<String>>,
    /// Account or certificate → up to two distinct orders under review.
    accounts: HashMap<String, [Option<String>; 2]>,
    subjects: HashMap<String, [Option<String>; 2]>,
}

impl Default for MemoryIndex {
    fn default() -> Self {
        MemoryIndex {
            records: Vec::new(),
            site_leaders: Question::new(Second::Nothing),
            legal_reps: Question::new(Second::Contacts),
            mobiles: Question::new(Second::IdNumber),
            emails: Question::new(Second::IdNumber),
            subject_leaders: Question::new(Second::Nothing),
            auth_codes: HashMap::default(),
            resources: HashMap::default(),
            accounts: HashMap::default(),
            subjects: HashMap::default(),
        }
    }
}

/// E-mail addresses compare case-insensitively, without surrounding spaces.
pub fn email_key(s: &str) -> String {
    s.trim().to_lowercase()
}

fn remember(map: &mut HashMap<String, [Option<String>; 2]>, key: &str, order: &str) {
    let slots = map.entry(key.to_string()).or_default();
    match &slots[0] {
        None => slots[0] = Some(order.to_string()),
        Some(a) if a != order && slots[1].is_none() => slots[1] = Some(order.to_string()),
        _ => {}
    }
}

fn other<'a>(
    map: &'a HashMap<String, [Option<String>; 2]>,
    key: &str,
    order: &str,
) -> Option<&'a str> {
    map.get(key)?
        .iter()
        .flatten()
        .map(String::as_str)
        .find(|o| *o != order)
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

    fn record(&mut self, o: &Order, cert: &str, p: &Person) -> u32 {
        self.records.push(PersonRecord {
            order: o.id.clone(),
            subject_cert: cert.to_string(),
            id_number: id_key(&p.id_number),
            mobile: phone_key(&p.mobile),
            email: email_key(&p.email),
        });
        (self.records.len() - 1) as u32
    }

    /// Add an order. Withdrawn and abandoned orders hold no resources (codes, contacts);
    /// only their subject leader is kept, for LEAD-SUBJ-REUSE-HA ("whatever its status").
    pub fn insert(&mut self, o: &Order) {
        let cert = id_key(&o.subject.certificate.number);
        let sl = self.record(o, &cert, &o.subject.leader);
        if !cert.is_empty() {
            let id = self.records[sl as usize].id_number.clone();
            if !id.is_empty() {
                self.subject_leaders.add(&self.records, &id, sl);
            }
        }
        if o.status.is_dropped() {
            return;
        }
        let leaders: Vec<(u32, &Person, bool)> = std::iter::once((sl, &o.subject.leader, false))
            .chain(o.sites.iter().map(|s| (u32::MAX, &s.leader, true)))
            .collect();
        for (i, person, site_leader) in leaders {
            let i = if site_leader {
                self.record(o, &cert, person)
            } else {
                i
            };
            let (id, mobile, email) = {
                let r = &self.records[i as usize];
                (r.id_number.clone(), r.mobile.clone(), r.email.clone())
            };
            if !mobile.is_empty() {
                self.mobiles.add(&self.records, &mobile, i);
            }
            if !email.is_empty() {
                self.emails.add(&self.records, &email, i);
            }
            if person.is_legal_representative && !id.is_empty() {
                self.legal_reps.add(&self.records, &id, i);
            }
            if site_leader && !cert.is_empty() {
                for key in [&id, &mobile, &email] {
                    if !key.is_empty() {
                        self.site_leaders.add(&self.records, key, i);
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
                remember(&mut self.auth_codes, code, &o.id);
                let rid = s.access.resource_id.trim();
                if !rid.is_empty() {
                    self.resources
                        .entry(rid.to_string())
                        .or_default()
                        .insert(code.to_string());
                }
            }
        }
        if o.status.in_review() {
            remember(&mut self.accounts, o.account.trim(), &o.id);
            if !cert.is_empty() {
                remember(&mut self.subjects, &cert, &o.id);
            }
        }
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
        other(&self.auth_codes, code, order)
    }
    fn codes_of_resource(&self, resource_id: &str, code: &str) -> (usize, bool) {
        self.resources
            .get(resource_id)
            .map_or((0, false), |c| (c.len(), c.contains(code)))
    }
    fn in_review_elsewhere(&self, account: &str, cert: &str, order: &str) -> Option<&str> {
        other(&self.accounts, account, order).or_else(|| {
            if cert.is_empty() {
                None
            } else {
                other(&self.subjects, cert, order)
            }
        })
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
                    let scan = items.iter().any(|r| r.0 != a && r.1 != b);
                    let found = w.find(key, a, (b, ""));
                    assert_eq!(scan, found.is_some(), "{seq:?} asked ({a}, {b})");
                    if let Some(i) = found {
                        let r = &items[i as usize];
                        assert!(r.0 != a && r.1 != b);
                    }
                }
            }
        }
    }
}
