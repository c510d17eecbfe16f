//! The store fails fast and says why: a data folder it cannot write, a `queue.db` that is
//! not an SQLite database, a damaged page — each refused at open in under a second with
//! what is wrong and what to do; `import` never reports "0 orders" over a store error;
//! the demo seeding of a first start is all or nothing (a crash part-way leaves no
//! orders and no marker, and the next start seeds again); the write-ahead log is copied
//! into the database beside the writer, which does not wait for that copy.

mod common;
use common::*;
use icp_review::queue::demo;
use icp_review::queue::store::Store;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// The embedded store in `dir`, with the catalogue's data and the test provider.
async fn open(dir: &Path) -> icp_review::queue::Result<Store> {
    Store::open_dir(dir, Arc::new(data().clone()), Arc::new(provider().clone())).await
}

/// Open the embedded store in `dir`, expecting a refusal within a second.
fn open_refused(dir: &Path) -> String {
    let started = Instant::now();
    let r = rt().block_on(open(dir));
    let took = started.elapsed();
    let e = match r {
        Ok(_) => panic!("{} opened", dir.display()),
        Err(e) => e.to_string(),
    };
    assert!(took < Duration::from_secs(1), "refusing took {took:?}: {e}");
    e
}

fn icp(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_icp-review"));
    c.env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .env_remove("ICP_REVIEW_FAILPOINT")
        .args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("binary runs")
}

#[test]
fn a_file_that_is_not_sqlite_is_named_at_open() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("queue.db"), b"these are somebody's notes\n").unwrap();
    let e = open_refused(dir.path());
    assert!(e.contains("not an SQLite database"), "{e}");
    assert!(e.contains("move it away"), "{e}");
}

#[test]
fn a_damaged_page_is_found_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    let target = std::sync::Mutex::new(0usize);
    rt().block_on(async {
        let s = open(dir.path()).await.unwrap();
        demo::seed_demo(&s).await.unwrap();
        use sqlx::Connection;
        let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut c)
            .await
            .unwrap();
        use sqlx::Row;
        let root: i64 = sqlx::query("SELECT rootpage FROM sqlite_master WHERE name = 'orders'")
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        let page: i64 = sqlx::query("PRAGMA page_size")
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        *target.lock().unwrap() = ((root - 1) * page) as usize;
    });
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len > 64 * 1024, "{len}");
    // Scribble over the orders table's root page and the one after it (pages in use:
    // a free page would go unnoticed, rightly).
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = *target.lock().unwrap();
    assert!(mid > 0 && mid + 8192 <= bytes.len(), "{mid}");
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let e = open_refused(dir.path());
    assert!(e.contains("damaged"), "{e}");
    assert!(e.contains("backup"), "{e}");
}

#[test]
fn a_folder_that_cannot_be_written_is_named_at_open() {
    // /sys is mounted read-only: nothing, not even root, creates a file there.
    assert!(
        std::fs::File::create("/sys/icp-review-probe").is_err(),
        "this test needs a read-only folder"
    );
    let e = open_refused(Path::new("/sys"));
    assert!(e.contains("cannot be written"), "{e}");
    assert!(e.contains("--data-dir"), "{e}");
}

#[test]
fn import_over_a_broken_store_fails_with_the_reason_not_zero_orders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("queue.db"), vec![0x42u8; 8192]).unwrap();
    let started = Instant::now();
    let out = icp(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "import",
            examples_dir()
                .join("clean-enterprise.json")
                .to_str()
                .unwrap(),
        ],
        &[],
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("not an SQLite database"), "{err}");
    assert!(!stdout.contains("0 orders"), "{stdout}");
}

#[test]
fn a_crash_during_demo_seeding_leaves_nothing_and_the_next_start_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let order = examples_dir().join("clean-enterprise.json");
    let args = [
        "--data-dir",
        data_dir.to_str().unwrap(),
        "import",
        order.to_str().unwrap(),
    ];
    // Abort after the first demo order was written inside the seeding transaction.
    let out = icp(&args, &[("ICP_REVIEW_FAILPOINT", "intake_all:after_one")]);
    assert!(!out.status.success(), "the failpoint aborts the process");
    assert!(
        !data_dir.join(".demo-imported").exists(),
        "no marker after a crash"
    );
    let count =
        |dir: &Path| rt().block_on(async { open(dir).await.unwrap().stats().await.unwrap().total });
    assert_eq!(count(&data_dir), 0, "no demo order survives the crash");
    // The next start seeds every demo order, then imports the file.
    let out = icp(&args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data_dir.join(".demo-imported").exists());
    let n = count(&data_dir) as usize;
    assert!(
        n == demo::demo_count() || n == demo::demo_count() + 1,
        "{n} orders after seeding {} demo orders and importing one",
        demo::demo_count()
    );
}

/// The write-ahead log is copied into the database file by the store's background task
/// within a second or two, not only once a write crosses the writer's own (much larger)
/// threshold, inside that write's commit.
#[test]
fn the_log_is_copied_into_the_database_beside_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    let wal = dir.path().join("queue.db-wal");
    rt().block_on(async {
        let s = open(dir.path()).await.unwrap();
        // The migrations' pages settle first.
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        let before = std::fs::metadata(&path).unwrap().len();
        demo::seed_demo(&s).await.unwrap();
        let logged = std::fs::metadata(&wal).unwrap().len();
        assert!(logged > 256 * 1024, "the demo orders are in the log: {logged}");
        // Below the writer's own threshold (8,192 pages of 4 KiB): only the task copies.
        assert!(logged < 8_192 * 4_096, "{logged}");
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let now = std::fs::metadata(&path).unwrap().len();
            if now >= before + 256 * 1024 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the database file did not grow within 5 s: {before} → {now} bytes, {logged} bytes logged"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}
