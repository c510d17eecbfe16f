//! Material paths are applicant input: confined to the order file's folder (or the
//! configured materials root) after resolving links, and refused without opening
//! anything when they are absolute, leave the folder, or name a directory, device, FIFO
//! or socket. A refusal is a blocking finding on that material that says nothing of the
//! target (whether it exists, what it is).

use icp_review::check::{check_orders, check_orders_under, read_orders};
use icp_review::material::MaterialError;
use icp_review::material::confine::MaterialDir;
use icp_review::rules::{ProviderSettings, RuleData};
use std::path::{Path, PathBuf};

/// A folder with `orders/order.json` next to `orders/scans/ok.png`, and a secret beside
/// `orders/` (outside the order's folder).
struct Layout {
    _tmp: tempfile::TempDir,
    top: PathBuf,
    orders: PathBuf,
}

fn layout() -> Layout {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let orders = top.join("orders");
    std::fs::create_dir_all(orders.join("scans")).unwrap();
    std::fs::write(orders.join("scans/ok.png"), png()).unwrap();
    std::fs::write(
        top.join("secret.txt"),
        b"root:$6$salt$hash:19000:0:99999:7:::\n",
    )
    .unwrap();
    Layout {
        _tmp: tmp,
        top,
        orders,
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([250, 250, 250]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn dir(l: &Layout) -> MaterialDir {
    MaterialDir::for_order_file(&l.orders.join("order.json"), None).unwrap()
}

/// The refusal's reason, asserting it is a refusal.
fn refused(r: Result<PathBuf, MaterialError>) -> String {
    match r {
        Err(MaterialError::Unreadable { reason, .. }) if reason.starts_with("refused:") => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_file_inside_the_folder_is_read() {
    let l = layout();
    let d = dir(&l);
    assert_eq!(
        d.resolve("scans/ok.png").unwrap(),
        l.orders.join("scans/ok.png")
    );
    assert_eq!(d.read("./scans/../scans/ok.png").unwrap(), png());
}

#[test]
fn absolute_paths_are_refused() {
    let l = layout();
    let d = dir(&l);
    for p in [
        "/etc/shadow",
        l.top.join("secret.txt").to_str().unwrap(),
        "\\\\server\\share\\x.jpg",
        "C:\\Windows\\x.jpg",
        "C:x.jpg",
    ] {
        let why = refused(d.resolve(p));
        assert!(why.contains("absolute"), "{p}: {why}");
    }
}

#[test]
fn dot_dot_escapes_are_refused_whether_or_not_the_target_exists() {
    let l = layout();
    let d = dir(&l);
    let exists = refused(d.resolve("../secret.txt"));
    let absent = refused(d.resolve("../no-such-file"));
    let deep = refused(d.resolve("../../../../etc/shadow"));
    let through_missing = refused(d.resolve("nothing-here/../../secret.txt"));
    assert_eq!(
        exists, absent,
        "a refusal must not tell whether the target exists"
    );
    assert_eq!(exists, deep);
    assert_eq!(exists, through_missing);
    assert!(exists.contains("outside the order's folder"), "{exists}");
}

#[cfg(unix)]
#[test]
fn links_leading_outside_are_refused_and_links_inside_followed() {
    use std::os::unix::fs::symlink;
    let l = layout();
    symlink(l.top.join("secret.txt"), l.orders.join("licence.jpg")).unwrap();
    symlink(l.top.join("no-such-file"), l.orders.join("dangling.jpg")).unwrap();
    symlink("/etc", l.orders.join("etc")).unwrap();
    symlink(l.orders.join("scans/ok.png"), l.orders.join("inside.png")).unwrap();
    let d = dir(&l);
    let out = refused(d.resolve("licence.jpg"));
    let dangling = refused(d.resolve("dangling.jpg"));
    let via_dir = refused(d.resolve("etc/passwd"));
    assert_eq!(
        out, dangling,
        "a refusal must not tell whether the target exists"
    );
    assert_eq!(out, via_dir);
    assert!(out.contains("link"), "{out}");
    assert_eq!(d.read("inside.png").unwrap(), png());
}

#[test]
fn a_directory_is_refused() {
    let l = layout();
    let why = refused(dir(&l).resolve("scans"));
    assert!(why.contains("folder"), "{why}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_opening_it() {
    let l = layout();
    let fifo = l.orders.join("pipe.jpg");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Opening a FIFO for reading with no writer would block this test forever.
    let why = refused(dir(&l).resolve("pipe.jpg"));
    assert!(why.contains("not a regular file"), "{why}");
}

#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    // A folder that holds devices: /dev itself as the materials root.
    let order = Path::new("/dev/order.json");
    let d = MaterialDir::for_order_file(order, None).unwrap();
    let why = refused(d.resolve("zero"));
    assert!(why.contains("device"), "{why}");
    // And a link to a device from an order's folder leaves the folder.
    symlink("/dev/zero", tmp.path().join("zero.jpg")).unwrap();
    let d = MaterialDir::for_order_file(&tmp.path().join("o.json"), None).unwrap();
    refused(d.resolve("zero.jpg"));
}

#[test]
fn a_materials_root_allows_sibling_folders_and_nothing_beyond() {
    let l = layout();
    std::fs::create_dir_all(l.top.join("materials")).unwrap();
    std::fs::write(l.top.join("materials/a.png"), png()).unwrap();
    let d = MaterialDir::for_order_file(&l.orders.join("order.json"), Some(&l.top)).unwrap();
    assert_eq!(d.read("../materials/a.png").unwrap(), png());
    refused(d.resolve("../../etc/passwd"));
    // Without the root the sibling folder is out of bounds.
    refused(dir(&l).resolve("../materials/a.png"));
    // An order file outside the root is refused as a whole.
    assert!(MaterialDir::for_order_file(Path::new("/tmp/x.json"), Some(&l.orders)).is_err());
}

fn order_json(files: &[&str]) -> String {
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/spec/examples/clean-enterprise.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mats = v["materials"].as_array_mut().unwrap();
    for (m, f) in mats.iter_mut().zip(files) {
        m["file"] = serde_json::Value::String((*f).to_string());
    }
    v.to_string()
}

/// `check` turns a refusal into a blocking finding on that material, and the finding's
/// text says nothing of the secret.
#[test]
fn check_reports_a_refused_material_as_a_blocking_finding() {
    let l = layout();
    let path = l.orders.join("order.json");
    std::fs::write(&path, order_json(&["../secret.txt", "/etc/shadow"])).unwrap();
    let (orders, bad) = read_orders(std::slice::from_ref(&path));
    assert!(bad.is_empty(), "{bad:?}");
    let data = RuleData::embedded().unwrap();
    let provider = ProviderSettings::default();
    let checked = check_orders(orders.clone(), true, &data, &provider);
    let f: Vec<_> = checked[0]
        .findings
        .iter()
        .filter(|f| f.rule == "MAT-FILE-MISSING")
        .collect();
    assert!(
        f.iter()
            .any(|f| f.path == "materials[0].file" && f.message_en.contains("refused")),
        "{f:#?}"
    );
    assert!(f.iter().any(|f| f.path == "materials[1].file"), "{f:#?}");
    for f in &checked[0].findings {
        assert!(!f.message_en.contains("root:"), "{}", f.message_en);
        assert!(!f.message_en.contains("19000"), "{}", f.message_en);
    }
    // With a materials root above the order, `../secret.txt` is inside and read (it is
    // then judged as bytes: not an image).
    let checked = check_orders_under(orders, true, Some(&l.top), &data, &provider);
    assert!(
        !checked[0]
            .findings
            .iter()
            .any(|f| f.path == "materials[0].file"),
        "{:#?}",
        checked[0].findings
    );
}
