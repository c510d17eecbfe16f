//! The pending-decision journal: what was recorded and never sent nor discarded comes
//! back on the next open, oldest first; a torn last line (a crash mid-write) is skipped;
//! compaction keeps only the unsent; a process killed while recording loses nothing it
//! acknowledged.

use icp_review::queue::journal::{JOURNAL_FILE, Journal, JournalEntry};
use icp_review::queue::{Action, Decision};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn entry(key: &str, order: &str) -> JournalEntry {
    JournalEntry {
        key: key.to_string(),
        order: order.to_string(),
        reviewer: "r1".to_string(),
        decision: Decision {
            action: Action::Reject,
            expected_version: 3,
            reasons: vec![icp_review::domain::Reason {
                code: "R-ID-NUMBER".into(),
                text: "号码有误 \u{1b}[2J".into(),
            }],
            note: Some("note".into()),
            call: None,
            override_blocks: false,
        },
        made_at_ms: 1_760_000_000_000,
    }
}

fn keys(j: &Journal) -> Vec<String> {
    j.unsent().into_iter().map(|e| e.key).collect()
}

#[test]
fn unsent_decisions_come_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let j = Journal::open(dir.path()).unwrap();
        assert!(j.unsent().is_empty());
        j.record(&entry("k1", "A")).unwrap();
        j.record(&entry("k2", "B")).unwrap();
        j.record(&entry("k3", "C")).unwrap();
        j.mark_sent("k2").unwrap();
        j.mark_discarded("k3").unwrap();
        assert_eq!(keys(&j), ["k1"]);
        // Dropped without any shutdown step, as a crash would.
    }
    let j = Journal::open(dir.path()).unwrap();
    assert_eq!(j.unsent(), vec![entry("k1", "A")]);
    assert_eq!(j.skipped_lines(), 0);
    // Compaction left one line.
    let text = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    // Recording the same key again replaces the entry instead of offering it twice.
    j.record(&entry("k1", "A")).unwrap();
    assert_eq!(keys(&j), ["k1"]);
}

#[test]
fn a_torn_last_line_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    {
        let j = Journal::open(dir.path()).unwrap();
        j.record(&entry("k1", "A")).unwrap();
        j.record(&entry("k2", "B")).unwrap();
    }
    let path = dir.path().join(JOURNAL_FILE);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    // Half of a `sent` mark for k1, no newline.
    f.write_all(br#"{"op":"sent","ke"#).unwrap();
    drop(f);
    let j = Journal::open(dir.path()).unwrap();
    assert_eq!(keys(&j), ["k1", "k2"]);
    assert_eq!(j.skipped_lines(), 1);
    // Writing goes on after the torn line was dropped by compaction.
    j.mark_sent("k1").unwrap();
    drop(j);
    let j = Journal::open(dir.path()).unwrap();
    assert_eq!(keys(&j), ["k2"]);
    assert_eq!(j.skipped_lines(), 0);
}

#[test]
fn damaged_lines_in_the_middle_are_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let line = |e: &JournalEntry| {
        let mut v = serde_json::to_value(e).unwrap();
        v["op"] = "pending".into();
        format!("{v}\n")
    };
    let text = format!(
        "{}garbage\u{0}\n{}\n{{\"op\":\"sent\",\"key\":\"k1\"}}\n",
        line(&entry("k1", "A")),
        line(&entry("k2", "B")).trim_end()
    );
    std::fs::write(dir.path().join(JOURNAL_FILE), text).unwrap();
    let j = Journal::open(dir.path()).unwrap();
    assert_eq!(keys(&j), ["k2"]);
    assert_eq!(j.skipped_lines(), 1);
}

#[test]
fn one_process_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = Journal::open(dir.path()).unwrap();
    let second = Journal::open(dir.path()).unwrap_err();
    assert!(
        second.to_string().contains("another icp-review"),
        "{second}"
    );
    drop(first);
    Journal::open(dir.path()).unwrap();
}

/// Run by [`a_process_killed_while_recording_loses_nothing_it_acknowledged`] in a child
/// process: record decisions forever, printing each key once `record` returned.
#[test]
#[ignore = "child process of a_process_killed_while_recording_loses_nothing_it_acknowledged"]
fn journal_child_writer() {
    let dir = std::env::var("ICP_JOURNAL_CHILD_DIR").expect("run by the parent test");
    let j = Journal::open(std::path::Path::new(&dir)).unwrap();
    let out = std::io::stdout();
    for i in 0u64.. {
        let key = format!("key-{i}");
        j.record(&entry(&key, &format!("ORDER-{i}"))).unwrap();
        if i.is_multiple_of(3) {
            j.mark_sent(&key).unwrap();
        }
        let mut o = out.lock();
        writeln!(o, "{key}").unwrap();
        o.flush().unwrap();
    }
}

#[test]
fn a_process_killed_while_recording_loses_nothing_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "journal_child_writer",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ICP_JOURNAL_CHILD_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acknowledged = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acknowledged.len() < 200 {
        match lines.next() {
            // The harness may print its "test … " prefix on the first key's line.
            Some(Ok(l)) if l.contains("key-") => {
                acknowledged.push(l[l.find("key-").unwrap_or(0)..].to_string());
            }
            Some(Ok(_)) => {}
            _ => break,
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no flush
    child.wait().unwrap();
    assert_eq!(acknowledged.len(), 200, "the child wrote: {acknowledged:?}");
    let j = Journal::open(dir.path()).unwrap();
    let unsent = keys(&j);
    for key in &acknowledged {
        let i: u64 = key["key-".len()..].parse().unwrap();
        if !i.is_multiple_of(3) {
            assert!(unsent.contains(key), "{key} was acknowledged but is gone");
        }
    }
    // Every line read back is whole (at most the last one was torn and skipped).
    assert!(j.skipped_lines() <= 1);
    assert!(j.unsent().iter().all(|e| e.order.starts_with("ORDER-")));
}
