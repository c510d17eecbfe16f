//! What cross-order rules know of other orders: an index by person, phone, code and
//! account, built in one pass (no pairwise comparisons).

use crate::domain::person::{id_key, phone_key};
use crate::domain::{AccessMethod, Order};
use rustc_hash::FxHashMap as HashMap;

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

/// Lookups the cross-order rules need. The batch (`check`) and the queue's store
/// implement it; every method returns records of *all* indexed orders, and the rules
/// skip the order under review themselves.
pub trait CrossIndex: Sync {
    /// Site leaders with this id number, mobile (phone key) or e-mail (lower case).
    fn site_leaders(&self, key: &str) -> &[PersonRecord];
    /// Leaders marked as legal representative, by id number.
    fn legal_reps(&self, id_number: &str) -> &[PersonRecord];
    /// Every leader (subject or site) by mobile phone key.
    fn by_mobile(&self, mobile: &str) -> &[PersonRecord];
    /// Orders using an authorisation code, one entry per site using it.
    fn auth_code_users(&self, code: &str) -> &[String];
    /// Distinct authorisation codes issued from one server (resource id).
    fn codes_of_resource(&self, resource_id: &str) -> &[String];
    /// Orders under review (pending, resubmitted, awaiting a call, at the bureau) by account.
    fn in_review_by_account(&self, account: &str) -> &[String];
    /// Orders under review by subject certificate number.
    fn in_review_by_subject(&self, cert: &str) -> &[String];
}

/// An in-memory [`CrossIndex`].
#[derive(Debug, Default, Clone)]
pub struct MemoryIndex {
    site_leaders: HashMap<String, Vec<PersonRecord>>,
    legal_reps: HashMap<String, Vec<PersonRecord>>,
    mobiles: HashMap<String, Vec<PersonRecord>>,
    auth_codes: HashMap<String, Vec<String>>,
    resources: HashMap<String, Vec<String>>,
    accounts: HashMap<String, Vec<String>>,
    subjects: HashMap<String, Vec<String>>,
}

fn email_key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl MemoryIndex {
    pub fn build<'a>(orders: impl IntoIterator<Item = &'a Order>) -> Self {
        let mut ix = MemoryIndex::default();
        for o in orders {
            ix.insert(o);
        }
        ix
    }

    /// Add an order (withdrawn and abandoned orders hold nothing and are skipped).
    pub fn insert(&mut self, o: &Order) {
        if o.status.is_dropped() {
            return;
        }
        let cert = id_key(&o.subject.certificate.number);
        let record = |p: &crate::domain::Person| PersonRecord {
            order: o.id.clone(),
            subject_cert: cert.clone(),
            id_number: id_key(&p.id_number),
            mobile: phone_key(&p.mobile),
            email: email_key(&p.email),
        };
        let leaders = std::iter::once(&o.subject.leader).chain(o.sites.iter().map(|s| &s.leader));
        for p in leaders {
            let r = record(p);
            if !r.mobile.is_empty() {
                self.mobiles
                    .entry(r.mobile.clone())
                    .or_default()
                    .push(r.clone());
            }
            if p.is_legal_representative && !r.id_number.is_empty() {
                self.legal_reps
                    .entry(r.id_number.clone())
                    .or_default()
                    .push(r);
            }
        }
        for s in &o.sites {
            let r = record(&s.leader);
            for key in [&r.id_number, &r.mobile, &r.email] {
                if !key.is_empty() {
                    let v = self.site_leaders.entry(key.clone()).or_default();
                    if !v
                        .iter()
                        .any(|x| x.order == r.order && x.id_number == r.id_number)
                    {
                        v.push(r.clone());
                    }
                }
            }
            if s.access.method == AccessMethod::AuthCode
                && let Some(code) = s
                    .access
                    .auth_code
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
            {
                self.auth_codes
                    .entry(code.to_string())
                    .or_default()
                    .push(o.id.clone());
                let rid = s.access.resource_id.trim();
                if !rid.is_empty() {
                    let codes = self.resources.entry(rid.to_string()).or_default();
                    if !codes.iter().any(|c| c == code) {
                        codes.push(code.to_string());
                    }
                }
            }
        }
        if o.status.in_review() {
            self.accounts
                .entry(o.account.trim().to_string())
                .or_default()
                .push(o.id.clone());
            if !cert.is_empty() {
                self.subjects.entry(cert).or_default().push(o.id.clone());
            }
        }
    }

    /// Remove every entry of an order id (used when the store replaces an order).
    pub fn remove(&mut self, order_id: &str) {
        fn prune<T>(map: &mut HashMap<String, Vec<T>>, keep: impl Fn(&T) -> bool) {
            map.retain(|_, v| {
                v.retain(&keep);
                !v.is_empty()
            });
        }
        prune(&mut self.site_leaders, |r| r.order != order_id);
        prune(&mut self.legal_reps, |r| r.order != order_id);
        prune(&mut self.mobiles, |r| r.order != order_id);
        prune(&mut self.auth_codes, |o| o != order_id);
        prune(&mut self.accounts, |o| o != order_id);
        prune(&mut self.subjects, |o| o != order_id);
        // Codes per resource are recomputed from the remaining code users.
        let users = &self.auth_codes;
        prune(&mut self.resources, |code| users.contains_key(code));
    }
}

fn get<'a, T>(map: &'a HashMap<String, Vec<T>>, key: &str) -> &'a [T] {
    map.get(key).map(Vec::as_slice).unwrap_or(&[])
}

impl CrossIndex for MemoryIndex {
    fn site_leaders(&self, key: &str) -> &[PersonRecord] {
        get(&self.site_leaders, key)
    }
    fn legal_reps(&self, id_number: &str) -> &[PersonRecord] {
        get(&self.legal_reps, id_number)
    }
    fn by_mobile(&self, mobile: &str) -> &[PersonRecord] {
        get(&self.mobiles, mobile)
    }
    fn auth_code_users(&self, code: &str) -> &[String] {
        get(&self.auth_codes, code)
    }
    fn codes_of_resource(&self, resource_id: &str) -> &[String] {
        get(&self.resources, resource_id)
    }
    fn in_review_by_account(&self, account: &str) -> &[String] {
        get(&self.accounts, account)
    }
    fn in_review_by_subject(&self, cert: &str) -> &[String] {
        get(&self.subjects, cert)
    }
}

/// Keys used to look people up.
pub fn keys_of(p: &crate::domain::Person) -> [String; 3] {
    [
        id_key(&p.id_number),
        phone_key(&p.mobile),
        email_key(&p.email),
    ]
}
