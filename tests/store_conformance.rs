//! The queue store's conformance suite (spec/api.md, spec/order-format.md): every test is
//! written once and runs on each engine — SQLite always, PostgreSQL when `DATABASE_URL`
//! is set — on a fresh database. A failure names the engine.

#[macro_use]
mod store_common;

use icp_review::domain::{CallOutcome, EventKind, FilingType, Reason, Status, parse_order};
use icp_review::queue::store::Store;
use icp_review::queue::time::now_ms;
use icp_review::queue::{
    Action, Actor, AuditEntry, CallPlan, Decision, ListQuery, OrderSummary, QueueError, Sort, demo,
};
use icp_review::rules::{Finding, Severity};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use store_common::*;

// ---------------------------------------------------------------------------------------
// Helpers

fn decision(action: Action, expected_version: i64) -> Decision {
    Decision {
        action,
        expected_version,
        reasons: Vec::new(),
        note: None,
        call: None,
        override_blocks: false,
    }
}

fn approve(v: i64) -> Decision {
    decision(Action::Approve, v)
}

fn reason(code: &str, text: &str) -> Reason {
    Reason {
        code: code.into(),
        text: text.into(),
    }
}

fn reject(v: i64) -> Decision {
    Decision {
        reasons: vec![reason("ID-USCC-CHECKSUM", "统一社会信用代码校验位错误")],
        note: Some("please fix the credit code".into()),
        ..decision(Action::Reject, v)
    }
}

fn call_at(v: i64, at: &str) -> Decision {
    Decision {
        call: Some(CallPlan {
            at: at.into(),
            who: "subject_leader".into(),
            phone: "13826541298".into(),
        }),
        ..decision(Action::ScheduleCall, v)
    }
}

/// The next Monday (after today, Asia/Shanghai) that is a working day (not inside a
/// public-holiday break) at `hh:mm` +08:00: RFC 3339 and Unix ms.
fn next_monday_at(hour: i8, minute: i8) -> (String, i64) {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let mut d = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let calendar = icp_review::domain::calendar::WorkCalendar::embedded();
    loop {
        d = d.tomorrow().expect("a date");
        if d.weekday() == jiff::civil::Weekday::Monday && calendar.is_working_day(d) {
            break;
        }
    }
    let z = d.at(hour, minute, 0, 0).to_zoned(tz).expect("a time");
    (
        z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        z.timestamp().as_millisecond(),
    )
}

/// A sample order as a new order `id` (no material bytes: intake is fast; the missing
/// materials are findings).
fn sample_as(name: &str, id: &str) -> Value {
    let mut v = sample_value(name);
    v["id"] = id.into();
    v["account"] = format!("acct-{}", id.to_lowercase()).into();
    v
}

async fn intake_bare(store: &Store, order: &Value) -> i64 {
    intake_value(store, order, Vec::new()).await.version
}

/// A pending order with blocking findings (no materials uploaded), version 1.
async fn pending_order(store: &Store, id: &str) {
    let v = intake_bare(store, &sample_as("clean-individual.json", id)).await;
    assert_eq!(v, 1, "new order {id} starts at version 1");
}

/// A clean pending order (all materials uploaded, no blocking finding), version 1.
async fn clean_order(store: &Store, id: &str, n: u32) {
    let v = enterprise_copy(id, n);
    intake_value(store, &v, sample_materials("clean-enterprise.json")).await;
    let d = store.get(id).await.expect("get clean order");
    let blocks: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| &f.rule)
        .collect();
    assert!(
        blocks.is_empty(),
        "{id} should be clean; blocks: {blocks:?}"
    );
}

async fn audit_of(store: &Store, id: &str) -> Vec<AuditEntry> {
    store.audit(Some(id)).await.expect("audit")
}

async fn version_of(store: &Store, id: &str) -> (Status, i64) {
    let d = store.get(id).await.expect("get");
    (d.order.status, d.version)
}

/// Findings as (rule, severity, path), sorted. Messages are left out: a cross-order
/// finding names one of the other orders, and which one depends on the order in which
/// the related orders are indexed (file order for `check`, database order for the store).
fn finding_keys(f: &[Finding]) -> Vec<(String, Severity, String)> {
    let mut v: Vec<_> = f
        .iter()
        .map(|f| (f.rule.clone(), f.severity, f.path.clone()))
        .collect();
    v.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    v
}

/// Intake order files as the filing system would (JSON text + material bytes), then
/// compare `get` with `check_orders` over the same files (checked together).
async fn intake_files_and_compare(store: &Store, files: &[PathBuf]) {
    for f in files {
        let text = std::fs::read_to_string(f).expect("order file");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let out = store
            .intake("filing-system", &text, materials_of(f, &value))
            .await
            .unwrap_or_else(|e| panic!("intake {}: {e}", f.display()));
        assert_eq!(out.version, 1, "{}: first intake is version 1", f.display());
        assert!(!out.replayed);
    }
    let (orders, bad) = icp_review::check::read_orders(files);
    assert!(bad.is_empty(), "samples read: {bad:?}");
    // The samples name materials in a sibling folder (`../materials/…`): confine them to
    // the examples folder, as a deployment would with `materials_root`.
    let checked = icp_review::check::check_orders_under(
        orders,
        true,
        Some(&examples_dir()),
        &data(),
        &provider(),
    );
    for c in checked {
        let d = store
            .get(&c.order.id)
            .await
            .unwrap_or_else(|e| panic!("get {}: {e}", c.order.id));
        let text = std::fs::read_to_string(&c.file).expect("order file");
        assert_eq!(
            d.order,
            parse_order(&text).expect("parses"),
            "{}: the stored order is the submitted one",
            c.order.id
        );
        assert_eq!(d.version, 1, "{}: version", c.order.id);
        assert_eq!(d.claim, None, "{}: nobody claims a new order", c.order.id);
        assert_eq!(
            finding_keys(&d.findings),
            finding_keys(&c.findings),
            "{}: the store's findings are those of `icp-review check`",
            c.order.id
        );
    }
}

fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name().is_some_and(|n| n != "expected.json")
        })
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------
// Intake and get

conformance!(intake_then_get_matches_check, |db| {
    let files = sample_files();
    assert!(files.len() >= 15, "the spec's samples: {files:?}");
    intake_files_and_compare(&db.store, &files).await;
    let stats = db.store.stats().await.expect("stats");
    assert_eq!(stats.total, files.len() as u64);
});

conformance!(intake_cross_order_pair_matches_check, |db| {
    let dir = examples_dir().join("cross-site-leader-multi-subject");
    let files = vec![
        dir.join("EX-2026-00001.json"),
        dir.join("EX-2026-00079.json"),
    ];
    intake_files_and_compare(&db.store, &files).await;
    // The pair must see each other: the cross-order rule fires.
    let d = db.store.get("EX-2026-00079").await.expect("get");
    assert!(
        d.findings
            .iter()
            .any(|f| f.rule == "CONTACT-SITE-LEADER-MULTI-SUBJECT"),
        "cross-order rule sees the stored order: {:?}",
        finding_keys(&d.findings)
    );
});

conformance!(list_counts_agree_with_findings, |db| {
    // The summary's finding counts (and the findings sort) must agree with the order's
    // findings, also when a later intake adds a cross-order finding to an earlier order.
    let dir = examples_dir().join("cross-site-leader-multi-subject");
    for f in ["EX-2026-00001.json", "EX-2026-00079.json"] {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).expect("file");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        db.store
            .intake("filing-system", &text, materials_of(&path, &value))
            .await
            .expect("intake");
    }
    let page = db
        .store
        .list(&ListQuery {
            limit: Some(500),
            ..ListQuery::default()
        })
        .await
        .expect("list");
    for s in &page.items {
        let d = db.store.get(&s.id).await.expect("get");
        let blocks = d
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .count() as u32;
        let warns = d.findings.len() as u32 - blocks;
        assert_eq!(
            (s.blocks, s.warns),
            (blocks, warns),
            "{}: list counts (blocks, warns) vs get findings {:?}",
            s.id,
            finding_keys(&d.findings)
        );
    }
});

conformance!(intake_invalid_json_names_the_path, |db| {
    let s = &db.store;
    assert_invalid(
        s.intake("fs", "{ not json", Vec::new()).await,
        Some("."),
        "not JSON",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["format"] = "icp-order/2".into();
    assert_invalid(
        s.intake("fs", &v.to_string(), Vec::new()).await,
        Some("format"),
        "wrong format",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["subject"]["leader"]
        .as_object_mut()
        .expect("leader")
        .remove("mobile");
    assert_invalid(
        s.intake("fs", &v.to_string(), Vec::new()).await,
        Some("subject.leader.mobile"),
        "missing subject.leader.mobile",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["sites"][0]["leader"]["mobile"] = 13713452290u64.into();
    assert_invalid(
        s.intake("fs", &v.to_string(), Vec::new()).await,
        Some("sites[0].leader.mobile"),
        "number for sites[0].leader.mobile",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["status"] = "sleeping".into();
    assert_invalid(
        s.intake("fs", &v.to_string(), Vec::new()).await,
        Some("status"),
        "unknown status",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["id"] = "   ".into();
    assert_invalid(
        s.intake("fs", &v.to_string(), Vec::new()).await,
        Some("id"),
        "blank id",
    );
    // Nothing was stored, nothing audited.
    assert_eq!(s.stats().await.expect("stats").total, 0);
    assert!(s.audit(None).await.expect("audit").is_empty());
    assert_not_found(s.get("EX-2026-00001").await, "get after invalid intake");
});

conformance!(intake_order_id_is_stored_as_it_is_keyed, |db| {
    // The store keys an order by its trimmed id. Either it refuses an id with
    // surrounding blanks, or the stored order, its materials and its findings all use
    // the trimmed id.
    let s = &db.store;
    let mut v = sample_value("clean-individual.json");
    v["id"] = " WS-1 ".into();
    match s
        .intake(
            "fs",
            &v.to_string(),
            sample_materials("clean-individual.json"),
        )
        .await
    {
        Err(QueueError::Invalid { path: Some(p), .. }) if p == "id" => return,
        Err(e) => panic!("intake of a blank-padded id: {e:?}"),
        Ok(out) => assert_eq!(out.order, "WS-1"),
    }
    let d = s.get("WS-1").await.expect("get by the trimmed id");
    assert_eq!(
        d.order.id, "WS-1",
        "the stored order carries the id it is stored under"
    );
    let missing: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "MAT-FILE-MISSING")
        .map(|f| &f.path)
        .collect();
    assert!(
        missing.is_empty(),
        "the uploaded materials are what the rules see, not missing files: {missing:?}"
    );
    let first = v["materials"][0]["id"].as_str().expect("material id");
    s.material("WS-1", first)
        .await
        .expect("material by the trimmed id");
});

// ---------------------------------------------------------------------------------------
// List: paging, sorts, filters, search

/// A dozen orders with different provinces, filing types, statuses, ages (with ties)
/// and finding counts. No material bytes: intake stays fast.
async fn list_fixture(store: &Store) -> Vec<String> {
    let mut ids = Vec::new();
    let mut put = async |v: Value| {
        ids.push(v["id"].as_str().expect("id").to_string());
        intake_bare(store, &v).await;
    };
    // Three exact ties (same time, province, findings): only the id orders them.
    for n in 1..=3 {
        put(enterprise_copy(&format!("L-{n:02}"), n)).await;
    }
    let mut v = enterprise_copy("L-04", 4);
    v["subject"]["region"]["province"] = "CN-BJ".into();
    v["filing_type"] = "new_site".into();
    v["submitted_at"] = "2026-11-19T10:00:00+08:00".into();
    put(v).await;
    let mut v = enterprise_copy("L-05", 5);
    v["subject"]["region"]["province"] = "CN-SH".into();
    v["status"] = "approved".into();
    v["submitted_at"] = "2026-11-21T08:00:00+08:00".into();
    put(v).await;
    let mut v = enterprise_copy("L-06", 6);
    v["status"] = "rejected".into();
    v["submitted_at"] = "2026-11-18T16:45:00+08:00".into();
    put(v).await;
    put(sample_as("clean-individual.json", "L-07")).await;
    let mut v = sample_as("clean-individual.json", "L-08");
    v["status"] = "awaiting_call".into();
    v["submitted_at"] = "2026-11-22T11:00:00+08:00".into();
    v["subject"]["leader"]["id_number"] = ric("330106", "19900101", "123").into();
    put(v).await;
    put(sample_as("app-clean.json", "L-09")).await;
    let mut v = enterprise_copy("L-10", 10);
    v["subject"]["name"] = "深圳市百分之100%科技有限公司".into();
    v["sites"][0]["domains"][0]["name"] = "LingYun-Data10.CN".into();
    put(v).await;
    let mut v = enterprise_copy("L-11", 11);
    v["sites"][0]["name"] = "测试a_b站点".into();
    v["submitted_at"] = "2026-11-20T09:30:00.001+08:00".into();
    put(v).await;
    let mut v = enterprise_copy("L-12", 12);
    v["sites"][0]["name"] = "测试axb站点".into();
    v["subject"]["name"] = "深圳市100x科技有限公司".into();
    put(v).await;
    let mut v = enterprise_copy("L-13", 13);
    v["sites"][0]["leader"]["name"] = "欧阳NaNa".into();
    v["filing_type"] = "new_site".into();
    put(v).await;
    let mut v = sample_as("uscc-bad-check.json", "L-14");
    v["status"] = "resubmitted".into();
    put(v).await;
    ids
}

async fn list_all(store: &Store, q: &ListQuery) -> Vec<OrderSummary> {
    let mut all = Vec::new();
    let mut q = q.clone();
    q.cursor = None;
    let mut pages = 0;
    loop {
        let page = store.list(&q).await.expect("list page");
        pages += 1;
        assert!(pages < 1000, "paging does not end");
        if page.next.is_some() {
            assert_eq!(
                page.items.len(),
                q.limit.unwrap_or(50) as usize,
                "a page with a next cursor is full"
            );
        }
        assert!(
            !page.items.is_empty() || pages == 1,
            "no empty page after a next cursor"
        );
        all.extend(page.items);
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    all
}

fn ids_of(items: &[OrderSummary]) -> Vec<String> {
    items.iter().map(|s| s.id.clone()).collect()
}

fn sorted_by(mut items: Vec<OrderSummary>, sort: Sort) -> Vec<String> {
    items.sort_by(|a, b| match sort {
        Sort::Age => (a.submitted_ms, &a.id).cmp(&(b.submitted_ms, &b.id)),
        Sort::Province => {
            (&a.province, a.submitted_ms, &a.id).cmp(&(&b.province, b.submitted_ms, &b.id))
        }
        Sort::Findings => (
            std::cmp::Reverse(a.blocks),
            std::cmp::Reverse(a.warns),
            a.submitted_ms,
            &a.id,
        )
            .cmp(&(
                std::cmp::Reverse(b.blocks),
                std::cmp::Reverse(b.warns),
                b.submitted_ms,
                &b.id,
            )),
    });
    ids_of(&items)
}

conformance!(list_paging_visits_every_order_once_for_each_sort, |db| {
    let ids = list_fixture(&db.store).await;
    let expected: BTreeSet<String> = ids.iter().cloned().collect();
    for sort in [Sort::Age, Sort::Province, Sort::Findings] {
        let one_page = db
            .store
            .list(&ListQuery {
                sort,
                limit: Some(500),
                ..ListQuery::default()
            })
            .await
            .expect("list");
        assert_eq!(one_page.next, None);
        assert_eq!(one_page.items.len(), ids.len(), "{sort:?}: every order");
        let want = sorted_by(one_page.items.clone(), sort);
        assert_eq!(ids_of(&one_page.items), want, "{sort:?}: the sort order");
        for limit in [1, 2, 3, 5, 7, ids.len() as u32] {
            let got = list_all(
                &db.store,
                &ListQuery {
                    sort,
                    limit: Some(limit),
                    ..ListQuery::default()
                },
            )
            .await;
            let got_ids = ids_of(&got);
            let set: BTreeSet<String> = got_ids.iter().cloned().collect();
            assert_eq!(
                set.len(),
                got_ids.len(),
                "{sort:?} limit {limit}: duplicates {got_ids:?}"
            );
            assert_eq!(set, expected, "{sort:?} limit {limit}: every order");
            assert_eq!(
                got_ids, want,
                "{sort:?} limit {limit}: pages keep the sort order"
            );
        }
        // Paging with a filter, too.
        let q = ListQuery {
            sort,
            status: vec![Status::Pending],
            limit: Some(2),
            ..ListQuery::default()
        };
        let got = list_all(&db.store, &q).await;
        let want_pending: Vec<String> = want
            .iter()
            .filter(|id| {
                one_page
                    .items
                    .iter()
                    .any(|s| &&s.id == id && s.status == Status::Pending)
            })
            .cloned()
            .collect();
        assert_eq!(
            ids_of(&got),
            want_pending,
            "{sort:?}: paging a filtered list"
        );
    }
});

conformance!(list_cursor_of_another_sort_is_rejected, |db| {
    list_fixture(&db.store).await;
    let first = db
        .store
        .list(&ListQuery {
            sort: Sort::Age,
            limit: Some(2),
            ..ListQuery::default()
        })
        .await
        .expect("list");
    let cursor = first.next.expect("a next cursor");
    for sort in [Sort::Province, Sort::Findings] {
        assert_invalid(
            db.store
                .list(&ListQuery {
                    sort,
                    cursor: Some(cursor.clone()),
                    limit: Some(2),
                    ..ListQuery::default()
                })
                .await,
            Some("cursor"),
            "an age cursor used with another sort",
        );
    }
    assert_invalid(
        db.store
            .list(&ListQuery {
                cursor: Some("not-a-cursor".into()),
                ..ListQuery::default()
            })
            .await,
        Some("cursor"),
        "a garbage cursor",
    );
});

async fn list_ids(store: &Store, q: ListQuery) -> BTreeSet<String> {
    let all = list_all(
        store,
        &ListQuery {
            limit: Some(500),
            ..q
        },
    )
    .await;
    all.into_iter().map(|s| s.id).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

conformance!(list_filters, |db| {
    let s = &db.store;
    let all: BTreeSet<String> = list_fixture(s).await.into_iter().collect();
    assert_eq!(list_ids(s, ListQuery::default()).await, all);
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                status: vec![Status::Approved, Status::Rejected],
                ..ListQuery::default()
            }
        )
        .await,
        set(&["L-05", "L-06"]),
        "status list"
    );
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                status: vec![Status::AwaitingCall],
                ..ListQuery::default()
            }
        )
        .await,
        set(&["L-08"]),
        "one status"
    );
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                province: Some("CN-BJ".into()),
                ..ListQuery::default()
            }
        )
        .await,
        set(&["L-04"]),
        "province"
    );
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                filing_type: Some(FilingType::NewSite),
                ..ListQuery::default()
            }
        )
        .await,
        set(&["L-04", "L-13"]),
        "filing type"
    );
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                filing_type: Some(FilingType::NewSite),
                province: Some("CN-GD".into()),
                status: vec![Status::Pending],
                ..ListQuery::default()
            }
        )
        .await,
        set(&["L-13"]),
        "filters combine"
    );
    assert!(
        list_ids(
            s,
            ListQuery {
                province: Some("CN-XJ".into()),
                ..ListQuery::default()
            }
        )
        .await
        .is_empty(),
        "no order in CN-XJ"
    );
    // Summaries carry what the row shows.
    let page = s
        .list(&ListQuery {
            province: Some("CN-BJ".into()),
            ..ListQuery::default()
        })
        .await
        .expect("list");
    let l4 = &page.items[0];
    assert_eq!(l4.filing_type, FilingType::NewSite);
    assert_eq!(l4.status, Status::Pending);
    assert_eq!(l4.subject_name, "深圳市凌云数据科技有限公司");
    assert_eq!(l4.version, 1);
    assert_eq!(l4.claim, None);
    assert_eq!(
        l4.submitted_ms,
        "2026-11-19T10:00:00+08:00"
            .parse::<jiff::Timestamp>()
            .expect("time")
            .as_millisecond()
    );
});

conformance!(list_text_search_is_literal_and_case_insensitive, |db| {
    let s = &db.store;
    let all: BTreeSet<String> = list_fixture(s).await.into_iter().collect();
    let q = |text: &str| ListQuery {
        q: Some(text.to_string()),
        ..ListQuery::default()
    };
    // id, either case
    assert_eq!(list_ids(s, q("L-07")).await, set(&["L-07"]), "id");
    assert_eq!(
        list_ids(s, q("l-07")).await,
        set(&["L-07"]),
        "id, lower case"
    );
    // subject name
    assert_eq!(list_ids(s, q("100x")).await, set(&["L-12"]), "subject name");
    assert_eq!(
        list_ids(s, q("100X")).await,
        set(&["L-12"]),
        "subject name, upper case"
    );
    // domain, stored in mixed case, searched in either case
    assert_eq!(
        list_ids(s, q("lingyun-data10.cn")).await,
        set(&["L-10"]),
        "domain"
    );
    assert_eq!(
        list_ids(s, q("LINGYUN-DATA10")).await,
        set(&["L-10"]),
        "domain, upper case"
    );
    assert_eq!(
        list_ids(s, q("lingyun-data12.cn")).await,
        set(&["L-12"]),
        "domain"
    );
    // people's names: a site leader, a subject leader
    assert_eq!(
        list_ids(s, q("nana")).await,
        set(&["L-13"]),
        "site leader name"
    );
    assert_eq!(
        list_ids(s, q("欧阳NANA")).await,
        set(&["L-13"]),
        "site leader name"
    );
    let individual = sample_value("clean-individual.json");
    let person = individual["subject"]["leader"]["name"]
        .as_str()
        .expect("name")
        .to_string();
    assert_eq!(
        list_ids(s, q(&person)).await,
        set(&["L-07", "L-08"]),
        "subject leader name"
    );
    // `%` and `_` are literal characters, not wildcards.
    assert_eq!(list_ids(s, q("%")).await, set(&["L-10"]), "literal %");
    assert_eq!(
        list_ids(s, q("0%科")).await,
        set(&["L-10"]),
        "literal % inside"
    );
    assert_eq!(list_ids(s, q("a_b")).await, set(&["L-11"]), "literal _");
    assert_eq!(list_ids(s, q("_")).await, set(&["L-11"]), "a lone _");
    assert_eq!(
        list_ids(s, q("\\")).await,
        set(&[]),
        "a backslash matches nothing here"
    );
    // Blank search is no search; no match is an empty list.
    assert_eq!(list_ids(s, q("  ")).await, all, "blank query");
    assert!(list_ids(s, q("no-such-thing")).await.is_empty());
    // Search combines with a filter.
    assert_eq!(
        list_ids(
            s,
            ListQuery {
                status: vec![Status::Approved],
                ..q("lingyun")
            }
        )
        .await,
        set(&["L-05"]),
        "search and status"
    );
});

// ---------------------------------------------------------------------------------------
// Claims

conformance!(claim_and_release_with_leases, |db| {
    let s = &db.store;
    pending_order(s, "C-1").await;
    let before = now_ms();
    let a = s.claim("C-1", "alice", 60).await.expect("alice claims");
    assert_eq!(a.reviewer, "alice");
    assert!(
        a.until_ms >= before + 59_000 && a.until_ms <= now_ms() + 61_000,
        "lease of 60 s: {a:?}"
    );
    assert_eq!(s.get("C-1").await.expect("get").claim, Some(a.clone()));
    let listed = s.list(&ListQuery::default()).await.expect("list");
    assert_eq!(
        listed.items[0].claim,
        Some(a.clone()),
        "the list shows the claim"
    );
    assert_conflict(s.claim("C-1", "bob", 60).await, "bob claims alice's order");
    let renewed = s.claim("C-1", "alice", 120).await.expect("alice renews");
    assert!(renewed.until_ms > a.until_ms, "renewal extends the lease");
    assert_eq!(s.get("C-1").await.expect("get").claim, Some(renewed));
    assert_conflict(s.release("C-1", "bob").await, "bob releases alice's claim");
    assert_eq!(
        s.get("C-1").await.expect("get").claim.map(|c| c.reviewer),
        Some("alice".to_string()),
        "bob's release changed nothing"
    );
    s.release("C-1", "alice").await.expect("alice releases");
    assert_eq!(s.get("C-1").await.expect("get").claim, None);
    s.claim("C-1", "bob", 60)
        .await
        .expect("bob claims a released order");
    s.release("C-1", "bob").await.expect("bob releases");
    // An expired lease is free.
    s.claim("C-1", "alice", 1).await.expect("short lease");
    assert_conflict(s.claim("C-1", "bob", 60).await, "lease still running");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(
        s.get("C-1").await.expect("get").claim,
        None,
        "an expired lease shows no claim"
    );
    let b = s
        .claim("C-1", "bob", 60)
        .await
        .expect("bob claims after expiry");
    assert_eq!(b.reviewer, "bob");
    // Errors.
    assert_not_found(
        s.claim("NOPE", "alice", 60).await,
        "claim of an unknown order",
    );
    assert_not_found(
        s.release("NOPE", "alice").await,
        "release of an unknown order",
    );
    assert_invalid(
        s.claim("C-1", " ", 60).await,
        None,
        "claim without a reviewer",
    );
    // Audited: who claimed and released, no version change.
    let audit = audit_of(s, "C-1").await;
    let trail: Vec<(&str, &str)> = audit
        .iter()
        .map(|a| (a.actor.as_str(), a.action.as_str()))
        .collect();
    assert_eq!(
        trail,
        vec![
            ("filing-system", "intake"),
            ("alice", "claim"),
            ("alice", "claim"),
            ("alice", "release"),
            ("bob", "claim"),
            ("bob", "release"),
            ("alice", "claim"),
            ("bob", "claim"),
        ]
    );
    for a in audit.iter().filter(|a| a.action != "intake") {
        assert_eq!((a.version_before, a.version_after), (None, None), "{a:?}");
    }
});

// ---------------------------------------------------------------------------------------
// Decisions

conformance!(approve_clean_order, |db| {
    let s = &db.store;
    clean_order(s, "A-1", 1).await;
    s.claim("A-1", "alice", 600).await.expect("claim");
    let out = s
        .decide("A-1", "alice", &approve(1), "k-approve-1")
        .await
        .expect("approve");
    assert_eq!(
        (out.order.as_str(), out.status, out.version, out.replayed),
        ("A-1", Status::Approved, 2, false)
    );
    let d = s.get("A-1").await.expect("get");
    assert_eq!(d.order.status, Status::Approved);
    assert_eq!(d.version, 2);
    assert_eq!(d.claim, None, "a decision releases the claim");
    let last = d.order.history.last().expect("history");
    assert_eq!(last.event, EventKind::Approved);
    assert_eq!(last.actor, "reviewer:alice");
    assert_eq!(d.order.history.len(), 2, "submitted + approved");
    let audit = audit_of(s, "A-1").await;
    let rows = decision_rows(&audit);
    assert_eq!(rows.len(), 1, "{audit:?}");
    assert_eq!(
        (
            rows[0].actor.as_str(),
            rows[0].action.as_str(),
            rows[0].version_before,
            rows[0].version_after
        ),
        ("alice", "approve", Some(1), Some(2))
    );
    let listed = s.list(&ListQuery::default()).await.expect("list");
    assert_eq!(
        (listed.items[0].status, listed.items[0].version),
        (Status::Approved, 2)
    );
});

conformance!(
    approve_with_blocking_findings_needs_override_and_note,
    |db| {
        let s = &db.store;
        intake_bare(s, &sample_as("uscc-bad-check.json", "B-1")).await;
        let d = s.get("B-1").await.expect("get");
        assert!(
            d.findings.iter().any(|f| f.severity == Severity::Block),
            "the sample has blocking findings"
        );
        assert_invalid(
            s.decide("B-1", "alice", &approve(1), "k-b1").await,
            None,
            "approve with blocks",
        );
        let no_note = Decision {
            override_blocks: true,
            ..approve(1)
        };
        assert_invalid(
            s.decide("B-1", "alice", &no_note, "k-b2").await,
            None,
            "override without a note",
        );
        let blank_note = Decision {
            note: Some("   ".into()),
            ..no_note.clone()
        };
        assert_invalid(
            s.decide("B-1", "alice", &blank_note, "k-b3").await,
            None,
            "override with a blank note",
        );
        let note = Decision {
            note: Some("bureau confirmed the code by phone".into()),
            ..no_note
        };
        assert_eq!(
            version_of(s, "B-1").await,
            (Status::Pending, 1),
            "refusals change nothing"
        );
        let out = s
            .decide("B-1", "alice", &note, "k-b4")
            .await
            .expect("override");
        assert_eq!((out.status, out.version), (Status::Approved, 2));
        let audit = audit_of(s, "B-1").await;
        let rows = decision_rows(&audit);
        assert_eq!(
            rows.len(),
            1,
            "only the override is audited as a decision: {audit:?}"
        );
        assert_eq!(rows[0].action, "approve_override");
        assert_eq!(rows[0].actor, "alice");
        assert_eq!(
            rows[0].note.as_deref(),
            Some("bureau confirmed the code by phone")
        );
        assert_eq!(
            (rows[0].version_before, rows[0].version_after),
            (Some(1), Some(2))
        );
        let last = s
            .get("B-1")
            .await
            .expect("get")
            .order
            .history
            .pop()
            .expect("event");
        assert_eq!(last.event, EventKind::Approved);
        assert_eq!(
            last.note.as_deref(),
            Some("bureau confirmed the code by phone")
        );
    }
);

conformance!(reject_needs_reasons, |db| {
    let s = &db.store;
    pending_order(s, "R-1").await;
    assert_invalid(
        s.decide("R-1", "alice", &decision(Action::Reject, 1), "k-r1")
            .await,
        Some("reasons"),
        "reject without reasons",
    );
    let blank = Decision {
        reasons: vec![reason(" ", "no code")],
        ..decision(Action::Reject, 1)
    };
    assert_invalid(
        s.decide("R-1", "alice", &blank, "k-r2").await,
        Some("reasons"),
        "reject with a blank reason code",
    );
    assert_eq!(version_of(s, "R-1").await, (Status::Pending, 1));
    let reasons = vec![
        reason("MATERIAL-MISSING", "缺少身份证正面"),
        reason("CONTACT-MOBILE", "手机号无法接通"),
    ];
    let d = Decision {
        reasons: reasons.clone(),
        note: Some("two problems".into()),
        ..decision(Action::Reject, 1)
    };
    let out = s.decide("R-1", "alice", &d, "k-r3").await.expect("reject");
    assert_eq!(
        (out.status, out.version, out.replayed),
        (Status::Rejected, 2, false)
    );
    let detail = s.get("R-1").await.expect("get");
    assert_eq!(detail.order.status, Status::Rejected);
    let last = detail.order.history.last().expect("event");
    assert_eq!(last.event, EventKind::Rejected);
    assert_eq!(last.actor, "reviewer:alice");
    assert_eq!(last.reasons, reasons, "history keeps the reasons");
    let audit = audit_of(s, "R-1").await;
    let rows = decision_rows(&audit);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "reject");
    assert_eq!(rows[0].reasons, reasons, "the audit keeps the reasons");
    assert_eq!(rows[0].note.as_deref(), Some("two problems"));
    assert_eq!(
        (rows[0].version_before, rows[0].version_after),
        (Some(1), Some(2))
    );
});

conformance!(
    schedule_call_in_working_hours_then_record_the_outcome,
    |db| {
        let s = &db.store;
        pending_order(s, "K-1").await;
        for (at, why) in [
            ("2026-11-28T10:00:00+08:00", "a Saturday"),
            ("2026-10-01T10:00:00+08:00", "National Day, a Thursday"),
            ("2026-02-18T10:00:00+08:00", "the Spring Festival break"),
            ("2026-11-23T20:00:00+08:00", "a Monday evening"),
            ("2026-11-23T12:30:00+08:00", "lunch time"),
            ("2026-11-23T08:59:00+08:00", "before nine"),
            ("2026-11-23T10:00:00Z", "18:00 in Shanghai"),
            ("next monday", "not a time"),
        ] {
            assert_invalid(
                s.decide("K-1", "alice", &call_at(1, at), &format!("k-{why}"))
                    .await,
                Some("call.at"),
                why,
            );
        }
        assert_invalid(
            s.decide(
                "K-1",
                "alice",
                &decision(Action::ScheduleCall, 1),
                "k-nocall",
            )
            .await,
            None,
            "schedule a call without `call`",
        );
        assert_eq!(version_of(s, "K-1").await, (Status::Pending, 1));
        let (at, at_ms) = next_monday_at(10, 0);
        let out = s
            .decide("K-1", "alice", &call_at(1, &at), "k-call")
            .await
            .expect("schedule a call");
        assert_eq!((out.status, out.version), (Status::AwaitingCall, 2));
        let d = s.get("K-1").await.expect("get");
        assert_eq!(d.order.status, Status::AwaitingCall);
        let ev = d.order.history.last().expect("event");
        assert_eq!(ev.event, EventKind::CallScheduled);
        let call = ev.call.as_ref().expect("the event names the call");
        assert_eq!(call.at.as_millisecond(), at_ms);
        assert_eq!(call.who, "subject_leader");
        let calls = s
            .calls(at_ms - 3_600_000, at_ms + 3_600_000)
            .await
            .expect("calls");
        assert_eq!(calls.len(), 1, "{calls:?}");
        let c = &calls[0];
        assert_eq!(
            (
                c.order.as_str(),
                c.at_ms,
                c.who.as_str(),
                c.phone.as_str(),
                c.reviewer.as_str(),
                c.outcome
            ),
            ("K-1", at_ms, "subject_leader", "13826541298", "alice", None)
        );
        assert_eq!(
            c.at.parse::<jiff::Timestamp>()
                .expect("RFC 3339")
                .as_millisecond(),
            at_ms
        );
        assert!(
            s.calls(at_ms + 1, at_ms + 3_600_000)
                .await
                .expect("calls")
                .is_empty(),
            "after"
        );
        assert!(
            s.calls(at_ms - 3_600_000, at_ms)
                .await
                .expect("calls")
                .is_empty(),
            "before (to is exclusive)"
        );
        // The outcome brings the order back to the queue.
        let out = s
            .record_call(
                "K-1",
                "alice",
                CallOutcome::Verified,
                Some("leader confirmed"),
            )
            .await
            .expect("record the call");
        assert_eq!((out.status, out.version), (Status::Pending, 3));
        let d = s.get("K-1").await.expect("get");
        assert_eq!(d.order.status, Status::Pending);
        let ev = d.order.history.last().expect("event");
        assert_eq!(ev.event, EventKind::CallDone);
        assert!(
            ev.note.as_deref().is_some_and(|n| n.contains("verified")),
            "history names the outcome: {ev:?}"
        );
        let calls = s.calls(at_ms - 1, at_ms + 1).await.expect("calls");
        assert_eq!(
            calls[0].outcome,
            Some(CallOutcome::Verified),
            "the agenda keeps the outcome"
        );
        let audit = audit_of(s, "K-1").await;
        let last = audit.last().expect("audit");
        assert_eq!(
            (
                last.actor.as_str(),
                last.action.as_str(),
                last.version_before,
                last.version_after
            ),
            ("alice", "call_outcome", Some(2), Some(3))
        );
        assert_eq!(last.note.as_deref(), Some("leader confirmed"));
        // From awaiting_call a reviewer may also decide directly.
        let (at2, _) = next_monday_at(14, 0);
        s.decide("K-1", "alice", &call_at(3, &at2), "k-call-2")
            .await
            .expect("second call");
        let out = s
            .decide("K-1", "bob", &reject(4), "k-rej")
            .await
            .expect("reject awaiting_call");
        assert_eq!((out.status, out.version), (Status::Rejected, 5));
    }
);

conformance!(stale_version_and_foreign_claim_conflict, |db| {
    let s = &db.store;
    pending_order(s, "S-1").await;
    assert_conflict(
        s.decide("S-1", "alice", &reject(2), "k-s1").await,
        "expected version 2 of a v1 order",
    );
    assert_conflict(
        s.decide("S-1", "alice", &reject(0), "k-s2").await,
        "expected version 0",
    );
    s.claim("S-1", "bob", 600).await.expect("bob claims");
    assert_conflict(
        s.decide("S-1", "alice", &reject(1), "k-s3").await,
        "decide bob's order",
    );
    let (at, _) = next_monday_at(10, 0);
    assert_conflict(
        s.decide("S-1", "alice", &call_at(1, &at), "k-s4").await,
        "schedule on bob's order",
    );
    assert_eq!(
        version_of(s, "S-1").await,
        (Status::Pending, 1),
        "nothing changed"
    );
    assert!(
        decision_rows(&audit_of(s, "S-1").await).is_empty(),
        "nothing audited"
    );
    // The failed keys were not used up: the same key works once the way is free.
    s.release("S-1", "bob").await.expect("release");
    let out = s
        .decide("S-1", "alice", &reject(1), "k-s3")
        .await
        .expect("decide");
    assert_eq!((out.version, out.replayed), (2, false));
    // A stale version after that decision.
    assert_conflict(
        s.decide("S-1", "alice", &reject(1), "k-s5").await,
        "stale after a decision",
    );
    assert_not_found(
        s.decide("NOPE", "alice", &reject(1), "k-s6").await,
        "unknown order",
    );
});

conformance!(illegal_transitions_conflict, |db| {
    let s = &db.store;
    clean_order(s, "T-1", 21).await;
    s.decide("T-1", "alice", &approve(1), "k-t1")
        .await
        .expect("approve");
    let (at, _) = next_monday_at(10, 0);
    assert_conflict(
        s.decide("T-1", "alice", &approve(2), "k-t2").await,
        "approve an approved order",
    );
    assert_conflict(
        s.decide("T-1", "alice", &reject(2), "k-t3").await,
        "reject an approved order",
    );
    assert_conflict(
        s.decide("T-1", "alice", &call_at(2, &at), "k-t4").await,
        "call on an approved order",
    );
    assert_conflict(
        s.reopen("T-1", "alice", "oops").await,
        "reopen an approved order",
    );
    assert_conflict(
        s.record_call("T-1", "alice", CallOutcome::Verified, None)
            .await,
        "record a call on an approved order",
    );
    assert_eq!(version_of(s, "T-1").await, (Status::Approved, 2));
    pending_order(s, "T-2").await;
    assert_conflict(
        s.reopen("T-2", "alice", "why not").await,
        "reopen a pending order",
    );
    assert_conflict(
        s.record_call("T-2", "alice", CallOutcome::NoAnswer, None)
            .await,
        "record_call on a pending order",
    );
    assert_eq!(version_of(s, "T-2").await, (Status::Pending, 1));
    for status in ["completed", "withdrawn", "abandoned", "bureau_rejected"] {
        let id = format!("T-{status}");
        let mut v = sample_as("clean-individual.json", &id);
        v["status"] = status.into();
        intake_bare(s, &v).await;
        assert_conflict(
            s.decide(&id, "alice", &reject(1), &format!("k-{id}")).await,
            &format!("reject a {status} order"),
        );
    }
    for id in ["T-1", "T-2"] {
        assert_eq!(
            decision_rows(&audit_of(s, id).await).len(),
            usize::from(id == "T-1"),
            "{id}"
        );
    }
    assert_not_found(s.reopen("NOPE", "alice", "x").await, "reopen unknown");
    assert_not_found(
        s.record_call("NOPE", "alice", CallOutcome::Verified, None)
            .await,
        "record_call unknown",
    );
});

conformance!(reopen_a_rejected_order, |db| {
    let s = &db.store;
    pending_order(s, "O-1").await;
    s.decide("O-1", "alice", &reject(1), "k-o1")
        .await
        .expect("reject");
    assert_invalid(
        s.reopen("O-1", "bob", "  ").await,
        Some("note"),
        "reopen without a note",
    );
    let out = s
        .reopen("O-1", "bob", "the applicant called: wrong reason")
        .await
        .expect("reopen");
    assert_eq!((out.status, out.version), (Status::Pending, 3));
    let d = s.get("O-1").await.expect("get");
    assert_eq!(d.order.status, Status::Pending);
    let ev = d.order.history.last().expect("event");
    assert_eq!(ev.actor, "reviewer:bob");
    assert!(
        ev.note
            .as_deref()
            .is_some_and(|n| n.contains("wrong reason")),
        "{ev:?}"
    );
    let audit = audit_of(s, "O-1").await;
    let last = audit.last().expect("audit");
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.version_before,
            last.version_after
        ),
        ("bob", "reopen", Some(2), Some(3))
    );
    assert_eq!(
        last.note.as_deref(),
        Some("the applicant called: wrong reason")
    );
    // Back in the queue: it can be decided again.
    let out = s
        .decide("O-1", "bob", &reject(3), "k-o2")
        .await
        .expect("decide again");
    assert_eq!((out.status, out.version), (Status::Rejected, 4));
    // A bureau rejection is reopened the same way.
    let mut v = sample_as("clean-individual.json", "O-2");
    v["status"] = "bureau_rejected".into();
    intake_bare(s, &v).await;
    let out = s
        .reopen("O-2", "bob", "SMS time-out, applicant retried")
        .await
        .expect("reopen");
    assert_eq!((out.status, out.version), (Status::Pending, 2));
});

conformance!(resubmission_keeps_the_rejected_version, |db| {
    let s = &db.store;
    let v1 = sample_as("clean-individual.json", "U-1");
    intake_bare(s, &v1).await;
    s.decide("U-1", "alice", &reject(1), "k-u1")
        .await
        .expect("reject");
    let rejected = s.get("U-1").await.expect("get").order;
    let mut v2 = v1.clone();
    v2["remarks"] = "fixed the mobile number".into();
    v2["submitted_at"] = "2026-11-23T09:00:00+08:00".into();
    let out = intake_value(s, &v2, Vec::new()).await;
    assert_eq!((out.status, out.version), (Status::Resubmitted, 3));
    let d = s.get("U-1").await.expect("get");
    assert_eq!(d.version, 3);
    assert_eq!(d.order.status, Status::Resubmitted);
    assert_eq!(d.order.remarks.as_deref(), Some("fixed the mobile number"));
    let prev = d
        .order
        .previous
        .as_deref()
        .expect("previous holds the rejected version");
    assert_eq!(prev, &rejected, "previous is the stored rejected version");
    assert_eq!(prev.status, Status::Rejected);
    assert!(prev.history.iter().any(|e| e.event == EventKind::Rejected));
    assert!(prev.previous.is_none());
    let audit = audit_of(s, "U-1").await;
    let last = audit.last().expect("audit");
    assert_eq!(
        (
            last.action.as_str(),
            last.version_before,
            last.version_after
        ),
        ("resubmit", Some(2), Some(3))
    );
    // Rejected again and resubmitted again: `previous` is the last rejected version,
    // without its own `previous`.
    s.decide("U-1", "alice", &reject(3), "k-u2")
        .await
        .expect("reject again");
    let mut v3 = v1.clone();
    v3["remarks"] = "second try".into();
    let out = intake_value(s, &v3, Vec::new()).await;
    assert_eq!((out.status, out.version), (Status::Resubmitted, 5));
    let d = s.get("U-1").await.expect("get");
    let prev = d.order.previous.as_deref().expect("previous");
    assert_eq!(prev.remarks.as_deref(), Some("fixed the mobile number"));
    assert_eq!(prev.status, Status::Rejected);
    assert!(
        prev.previous.is_none(),
        "previous has no previous of its own"
    );
    // A resubmitted order is reviewed like a pending one.
    s.decide("U-1", "alice", &reject(5), "k-u3")
        .await
        .expect("decide a resubmission");
    // An approved order cannot be replaced.
    clean_order(s, "U-2", 31).await;
    s.decide("U-2", "alice", &approve(1), "k-u4")
        .await
        .expect("approve");
    assert_conflict(
        s.intake(
            "filing-system",
            &enterprise_copy("U-2", 31).to_string(),
            Vec::new(),
        )
        .await,
        "intake replacing an approved order",
    );
    assert_eq!(version_of(s, "U-2").await, (Status::Approved, 2));
});

conformance!(idempotency_key_applies_once, |db| {
    let s = &db.store;
    pending_order(s, "I-1").await;
    pending_order(s, "I-2").await;
    let first = s
        .decide("I-1", "alice", &reject(1), "key-1")
        .await
        .expect("first");
    assert_eq!(
        (first.status, first.version, first.replayed),
        (Status::Rejected, 2, false)
    );
    let again = s
        .decide("I-1", "alice", &reject(1), "key-1")
        .await
        .expect("replay");
    assert_eq!(
        (again.status, again.version, again.replayed),
        (Status::Rejected, 2, true)
    );
    assert_eq!(
        version_of(s, "I-1").await,
        (Status::Rejected, 2),
        "applied once"
    );
    assert_eq!(
        decision_rows(&audit_of(s, "I-1").await).len(),
        1,
        "one audit row"
    );
    let history = s.get("I-1").await.expect("get").order.history;
    assert_eq!(
        history
            .iter()
            .filter(|e| e.event == EventKind::Rejected)
            .count(),
        1,
        "one history event"
    );
    assert_conflict(
        s.decide("I-2", "alice", &reject(1), "key-1").await,
        "the key for another order",
    );
    assert_conflict(
        s.decide("I-1", "bob", &reject(1), "key-1").await,
        "the key of another reviewer",
    );
    assert_eq!(version_of(s, "I-2").await, (Status::Pending, 1));
    assert!(decision_rows(&audit_of(s, "I-2").await).is_empty());
    assert_invalid(
        s.decide("I-2", "alice", &reject(1), " ").await,
        None,
        "a blank key",
    );
});

// ---------------------------------------------------------------------------------------
// Materials

conformance!(material_bytes_round_trip, |db| {
    let s = &db.store;
    let mut v = sample_as("clean-individual.json", "M-1");
    let blob: Vec<u8> = (0..=255u8).cycle().take(70_001).collect();
    v["materials"].as_array_mut().expect("materials").extend([
        serde_json::json!({"id": "blob", "kind": "other", "file": "materials/blob.bin"}),
        serde_json::json!({"id": "empty", "kind": "other", "file": "materials/empty.bin"}),
        serde_json::json!({"id": "never", "kind": "other", "file": "materials/never.bin"}),
    ]);
    let front = material_file("id-front.jpg");
    let icon = material_file("icon.png");
    let first_id = v["materials"][0]["id"].as_str().expect("id").to_string();
    let uploads = vec![
        (first_id.clone(), front.clone()),
        ("blob".to_string(), blob.clone()),
        ("empty".to_string(), Vec::new()),
        ("not-in-the-order".to_string(), icon),
    ];
    intake_value(s, &v, uploads).await;
    let m = s.material("M-1", &first_id).await.expect("material");
    assert!(m.bytes == front, "the JPEG comes back byte-identical");
    assert_eq!(
        m.media_type, "image/jpeg",
        "the bytes decide the media type"
    );
    let m = s.material("M-1", "blob").await.expect("blob");
    assert!(m.bytes == blob, "arbitrary bytes come back byte-identical");
    let m = s
        .material("M-1", "empty")
        .await
        .expect("an empty upload is not a missing one");
    assert!(m.bytes.is_empty());
    assert_not_found(
        s.material("M-1", "never").await,
        "a material never uploaded",
    );
    assert_not_found(
        s.material("M-1", "not-in-the-order").await,
        "bytes for no declared material",
    );
    assert_not_found(s.material("M-1", "m99").await, "an unknown material");
    assert_not_found(s.material("NOPE", &first_id).await, "an unknown order");
    // The order's findings name the missing upload.
    let d = s.get("M-1").await.expect("get");
    assert!(
        d.findings.iter().any(|f| f.path.contains("materials[")),
        "the never-uploaded material is a finding: {:?}",
        finding_keys(&d.findings)
    );
});

// ---------------------------------------------------------------------------------------
// Audit

conformance!(audit_log_records_every_action, |db| {
    let s = &db.store;
    let t0 = now_ms();
    pending_order(s, "AU-1").await;
    pending_order(s, "AU-2").await;
    s.claim("AU-1", "alice", 60).await.expect("claim");
    s.release("AU-1", "alice").await.expect("release");
    s.claim("AU-1", "alice", 60).await.expect("claim");
    let reasons = vec![reason("MATERIAL-MISSING", "缺少材料")];
    let d = Decision {
        reasons: reasons.clone(),
        note: Some("see reasons".into()),
        ..decision(Action::Reject, 1)
    };
    s.decide("AU-1", "alice", &d, "k-au1")
        .await
        .expect("reject");
    s.reopen("AU-1", "bob", "wrong order")
        .await
        .expect("reopen");
    let (at, _) = next_monday_at(15, 0);
    s.decide("AU-1", "bob", &call_at(3, &at), "k-au2")
        .await
        .expect("call");
    s.record_call("AU-1", "bob", CallOutcome::NoAnswer, Some("rang twice"))
        .await
        .expect("call outcome");
    s.note_action("AU-1", "carol", "reveal_pii", "called the applicant back")
        .await
        .expect("note action");
    let resub = sample_as("clean-individual.json", "AU-1");
    s.decide("AU-1", "carol", &reject(5), "k-au3")
        .await
        .expect("reject");
    intake_value(s, &resub, Vec::new()).await;
    let t1 = now_ms();
    let audit = audit_of(s, "AU-1").await;
    let rows: Vec<(&str, &str, Option<i64>, Option<i64>)> = audit
        .iter()
        .map(|a| {
            (
                a.actor.as_str(),
                a.action.as_str(),
                a.version_before,
                a.version_after,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("filing-system", "intake", None, Some(1)),
            ("alice", "claim", None, None),
            ("alice", "release", None, None),
            ("alice", "claim", None, None),
            ("alice", "reject", Some(1), Some(2)),
            ("bob", "reopen", Some(2), Some(3)),
            ("bob", "schedule_call", Some(3), Some(4)),
            ("bob", "call_outcome", Some(4), Some(5)),
            ("carol", "reveal_pii", None, None),
            ("carol", "reject", Some(5), Some(6)),
            ("filing-system", "resubmit", Some(6), Some(7)),
        ]
    );
    let by = |action: &str| audit.iter().find(|a| a.action == action).expect("row");
    assert_eq!(by("reject").reasons, reasons);
    assert_eq!(by("reject").note.as_deref(), Some("see reasons"));
    assert_eq!(by("reopen").note.as_deref(), Some("wrong order"));
    assert_eq!(by("call_outcome").note.as_deref(), Some("rang twice"));
    assert_eq!(
        by("reveal_pii").note.as_deref(),
        Some("called the applicant back")
    );
    for w in audit.windows(2) {
        assert!(w[0].seq < w[1].seq, "seq increases");
        assert!(w[0].at_ms <= w[1].at_ms, "time does not go back");
    }
    for a in &audit {
        assert_eq!(a.order, "AU-1");
        assert!(a.at_ms >= t0 - 1000 && a.at_ms <= t1 + 1000, "when: {a:?}");
    }
    // Per order and all together.
    let other = audit_of(s, "AU-2").await;
    assert_eq!(other.len(), 1);
    let all = s.audit(None).await.expect("all");
    assert_eq!(all.len(), audit.len() + other.len());
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "oldest first");
    assert!(s.audit(Some("NOPE")).await.expect("audit").is_empty());
    assert_not_found(
        s.note_action("NOPE", "carol", "reveal_pii", "x").await,
        "note on an unknown order",
    );
});

async fn seed_audit(s: &Store) -> Vec<AuditEntry> {
    pending_order(s, "AO-1").await;
    s.claim("AO-1", "alice", 60).await.expect("claim");
    s.decide("AO-1", "alice", &reject(1), "k-ao")
        .await
        .expect("reject");
    s.audit(None).await.expect("audit")
}

conformance!(audit_log_refuses_update_and_delete, |db| {
    let before = seed_audit(&db.store).await;
    assert_eq!(before.len(), 3);
    let mut raw = db.raw().await;
    for sql in [
        "UPDATE audit SET actor = 'x'",
        "UPDATE audit SET note = 'rewritten' WHERE action = 'reject'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE action = 'claim'",
    ] {
        let r = sqlx::raw_sql(sql).execute(&mut raw).await;
        assert!(
            r.is_err(),
            "the database must refuse {sql:?}; it answered {r:?}"
        );
    }
    let after = db.store.audit(None).await.expect("audit");
    assert_eq!(after, before, "audit rows unchanged");
    // Appending still works after the refusals.
    db.store
        .note_action("AO-1", "alice", "reveal_pii", "x")
        .await
        .expect("append");
});

conformance!(audit_log_refuses_truncate_and_replace, |db| {
    let before = seed_audit(&db.store).await;
    let seq = before[0].seq;
    let mut raw = db.raw().await;
    let attempts: Vec<String> = match db.engine {
        // REPLACE deletes the conflicting row without firing DELETE triggers (unless
        // recursive_triggers is on).
        "sqlite" => vec![
            format!(
                "INSERT OR REPLACE INTO audit (seq, at_ms, actor, action, order_id, reasons) VALUES ({seq}, 0, 'x', 'intake', 'AO-1', '[]')"
            ),
            format!(
                "REPLACE INTO audit (seq, at_ms, actor, action, order_id, reasons) VALUES ({seq}, 0, 'x', 'intake', 'AO-1', '[]')"
            ),
        ],
        // Row-level triggers do not fire on TRUNCATE.
        _ => vec![
            format!(
                "INSERT INTO audit (seq, at_ms, actor, action, order_id, reasons) OVERRIDING SYSTEM VALUE VALUES ({seq}, 0, 'x', 'intake', 'AO-1', '[]') ON CONFLICT (seq) DO UPDATE SET actor = 'x'"
            ),
            "TRUNCATE audit".to_string(),
        ],
    };
    let mut accepted = Vec::new();
    for sql in &attempts {
        if sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut raw)
            .await
            .is_ok()
        {
            accepted.push(sql.clone());
        }
    }
    let after = db.store.audit(None).await.expect("audit");
    assert!(
        accepted.is_empty() && after == before,
        "the audit log must be append-only; the database accepted {accepted:#?}; rows before {} after {}: {after:?}",
        before.len(),
        after.len()
    );
});

// ---------------------------------------------------------------------------------------
// Demo data, import, stats

conformance!(demo_seed_imports_every_demo_order, |db| {
    let s = &db.store;
    let n = demo::seed_demo(s).await.expect("seed");
    assert_eq!(n, demo::demo_count(), "seed_demo imports every demo order");
    assert!(n > 0);
    let stats = s.stats().await.expect("stats");
    let all = list_all(
        s,
        &ListQuery {
            limit: Some(500),
            ..ListQuery::default()
        },
    )
    .await;
    assert_eq!(stats.total as usize, all.len());
    assert_eq!(
        stats.awaiting_review as usize,
        all.iter().filter(|o| o.status.awaits_reviewer()).count()
    );
    assert_eq!(
        all.len(),
        n,
        "every demo file is its own order (one per file): {}",
        all.len()
    );
    let audit = s.audit(None).await.expect("audit");
    assert_eq!(audit.len(), n, "one intake row per demo order");
    assert!(audit.iter().all(|a| a.actor == "system:demo"));
    // Every demo order reads back; its uploaded materials are served.
    let mut served = 0;
    for o in &all {
        let d = s
            .get(&o.id)
            .await
            .unwrap_or_else(|e| panic!("get {}: {e}", o.id));
        if let Some(m) = d.order.materials.first()
            && s.material(&o.id, &m.id).await.is_ok()
        {
            served += 1;
        }
    }
    assert!(
        served > n / 2,
        "demo materials are in the store ({served} of {n})"
    );
});

conformance!(import_file_copies_material_bytes, |db| {
    let s = &db.store;
    let dir = tempfile::tempdir().expect("tempdir");
    let src = examples_dir().join("clean-individual.json");
    let order = sample_value("clean-individual.json");
    std::fs::create_dir_all(dir.path().join("materials")).expect("mkdir");
    let file = dir.path().join("order.json");
    std::fs::copy(&src, &file).expect("copy order");
    let mut originals = Vec::new();
    for m in order["materials"].as_array().expect("materials") {
        let rel = m["file"].as_str().expect("file");
        let bytes = std::fs::read(examples_dir().join(rel)).expect("material");
        std::fs::write(dir.path().join(rel), &bytes).expect("copy material");
        originals.push((m["id"].as_str().expect("id").to_string(), bytes));
    }
    let out = demo::import_file(&as_actor(s, Actor::reviewer("importer")), &file)
        .await
        .expect("import");
    assert_eq!((out.order.as_str(), out.version), ("EX-2026-00002", 1));
    drop(dir); // the source files are gone
    for (mid, bytes) in &originals {
        let m = s
            .material("EX-2026-00002", mid)
            .await
            .expect("served from the store");
        assert!(&m.bytes == bytes, "material {mid} byte-identical");
    }
    let d = s.get("EX-2026-00002").await.expect("get");
    assert!(
        d.findings.iter().all(|f| f.severity != Severity::Block),
        "the copied materials are what the rules saw: {:?}",
        finding_keys(&d.findings)
    );
    // A missing file imports as missing; a bad file is an error naming the path.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("order.json");
    std::fs::copy(&src, &file).expect("copy");
    demo::import_file(&as_actor(s, Actor::reviewer("importer")), &file)
        .await
        .expect("import without material files");
    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"format": "icp-order/1", "id": 5}"#,
    )
    .expect("write");
    let r = demo::import_file(
        &as_actor(s, Actor::reviewer("importer")),
        &dir.path().join("bad.json"),
    )
    .await;
    assert!(
        matches!(r, Err(QueueError::Invalid { path: Some(_), .. })),
        "{r:?}"
    );
});

conformance!(stats_count_orders, |db| {
    let s = &db.store;
    assert_eq!(s.stats().await.expect("stats"), Default::default());
    for (id, status) in [
        ("ST-1", "pending"),
        ("ST-2", "pending"),
        ("ST-3", "awaiting_call"),
        ("ST-4", "approved"),
        ("ST-5", "completed"),
        ("ST-6", "withdrawn"),
    ] {
        let mut v = sample_as("clean-individual.json", id);
        v["status"] = status.into();
        intake_bare(s, &v).await;
    }
    let st = s.stats().await.expect("stats");
    assert_eq!((st.total, st.awaiting_review), (6, 3));
    s.decide("ST-2", "alice", &reject(1), "k-st1")
        .await
        .expect("reject");
    let st = s.stats().await.expect("stats");
    assert_eq!((st.total, st.awaiting_review), (6, 2));
    intake_bare(s, &sample_as("clean-individual.json", "ST-2")).await; // resubmitted
    let st = s.stats().await.expect("stats");
    assert_eq!((st.total, st.awaiting_review), (6, 3));
    assert_eq!(s.count().await.expect("count"), 6);
});

conformance!(reimporting_an_identical_order_changes_nothing, |db| {
    let s = &db.store;
    let v = enterprise_copy("EX-REIMPORT-1", 1);
    let first = intake_value(s, &v, sample_materials("clean-enterprise.json")).await;
    assert_eq!(first.version, 1);
    // The same document and the same bytes: no new version, no audit row.
    let again = intake_value(s, &v, sample_materials("clean-enterprise.json")).await;
    assert_eq!(again.version, 1, "an identical re-import keeps version 1");
    assert!(again.replayed, "and says it was a replay");
    assert_eq!(version_of(s, "EX-REIMPORT-1").await.1, 1);
    assert_eq!(
        audit_of(s, "EX-REIMPORT-1").await.len(),
        1,
        "one intake row"
    );
    // A changed document is a new version.
    let mut changed = v.clone();
    changed["subject"]["address"] = "深圳市南山区科技园路1号2楼".into();
    let third = intake_value(s, &changed, sample_materials("clean-enterprise.json")).await;
    assert_eq!(third.version, 2);
    // The same document with one material's bytes changed is a new version too.
    let mut mats = sample_materials("clean-enterprise.json");
    if let Some((_, bytes)) = mats.first_mut() {
        bytes.push(0);
    }
    let fourth = intake_value(s, &changed, mats).await;
    assert_eq!(fourth.version, 3);
});
