//! Materials family (rules.md "Materials"): for every rule, an order made for it where the
//! rule fires (id, severity, path) and a near miss where it stays silent, each built from a
//! clean sample by changing as little as possible.

mod common;
use common::*;

use icp_review::domain::{FilingType, Material, MaterialKind, Order, SiteKind};
use icp_review::rules::Severity::{Block, Warn};
use image::ImageFormat;
use std::sync::atomic::{AtomicUsize, Ordering};

const REQUIRED: &str = "MAT-REQUIRED-MISSING";
const FILE_MISSING: &str = "MAT-FILE-MISSING";
const FORMAT: &str = "MAT-FORMAT";
const DIGEST: &str = "MAT-DIGEST-MISMATCH";
const NOT_COLOUR: &str = "MAT-NOT-COLOUR";
const RESOLUTION: &str = "MAT-RESOLUTION-LOW";
const AUTH_LETTER: &str = "MAT-AUTH-LETTER-MISSING";
const PARTY_CERT: &str = "MAT-PARTY-CERT-MISSING";
const PHOTO_BACKGROUND: &str = "MAT-VERIFY-PHOTO-BACKGROUND";

const ALL: [&str; 9] = [
    REQUIRED,
    FILE_MISSING,
    FORMAT,
    DIGEST,
    NOT_COLOUR,
    RESOLUTION,
    AUTH_LETTER,
    PARTY_CERT,
    PHOTO_BACKGROUND,
];

/// SHA-256 of materials/licence.jpg (lower-case hex, as `sha256sum` prints it).
const LICENCE_SHA256: &str = "e8f3d54d7511eff51c64951a7b145deea6101726dc803b370fe4cfd3a8172943";

// ---------------------------------------------------------------------------------------
// helpers

/// Index of the material with this id.
fn at(o: &Order, id: &str) -> usize {
    o.materials
        .iter()
        .position(|m| m.id == id)
        .expect("material id in sample")
}

/// Remove the material with this id.
fn drop_material(o: &mut Order, id: &str) {
    let i = at(o, id);
    o.materials.remove(i);
}

/// Point the material with this id at another file.
fn set_file(o: &mut Order, id: &str, file: &str) {
    let i = at(o, id);
    o.materials[i].file = file.to_string();
}

fn material(id: &str, kind: MaterialKind, site: Option<usize>, file: &str) -> Material {
    Material {
        id: id.to_string(),
        kind,
        site,
        file: file.to_string(),
        media_type: None,
        sha256: None,
    }
}

/// The enterprise sample with its site leader made the subject leader (leaders do not differ).
fn enterprise_same_leader() -> Order {
    let mut o = enterprise();
    o.sites[0].leader = o.subject.leader.clone();
    o
}

/// The enterprise sample with a second website (a copy of the first with its own domain and
/// its own leader, who is not the legal representative either).
fn enterprise_two_sites() -> Order {
    let mut o = enterprise();
    let mut second = o.sites[0].clone();
    second.name = "凌云数据博客".to_string();
    second.domains[0].name = "lingyun-blog.cn".to_string();
    second.leader.name = "李明轩".to_string();
    second.leader.id_number = ric("440106", "19930511", "157");
    second.leader.mobile = "13713450001".to_string();
    second.leader.emergency_phone = "15013450002".to_string();
    second.leader.email = "limx@lingyun-tech.cn".to_string();
    o.sites.push(second);
    o
}

/// A generated material file in a scratch folder (absolute paths replace the examples folder).
/// Made once and reused: written under a unique name, then renamed into place, so concurrent
/// tests and test runs never see a half-written file.
fn scratch_file(name: &str, bytes: impl FnOnce() -> Vec<u8>) -> String {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join("icp-review-rules-material");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    if !path.exists() {
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{seq}", std::process::id()));
        std::fs::write(&tmp, bytes()).expect("write scratch file");
        std::fs::rename(&tmp, &path).expect("move scratch file into place");
    }
    path.display().to_string()
}

/// Encode a colourful image (red and blue stripes) of the given size.
fn colour_image(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| {
        if x % 20 < 10 {
            image::Rgb([200, 30, 30])
        } else {
            image::Rgb([30, 30, 200])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode image");
    out.into_inner()
}

fn colour_png(width: u32, height: u32) -> String {
    scratch_file(&format!("colour-{width}x{height}.png"), || {
        colour_image(width, height, ImageFormat::Png)
    })
}

/// A file of `len` bytes that starts with the PDF magic number.
fn pdf_of_len(len: usize) -> String {
    scratch_file(&format!("doc-{len}.pdf"), || {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(len, b' ');
        bytes
    })
}

// ---------------------------------------------------------------------------------------
// clean bases

#[test]
fn clean_samples_are_silent_for_every_material_rule_with_and_without_bytes() {
    for o in [enterprise(), individual(), app()] {
        for findings in [check(&o), check_bytes(&o)] {
            for rule in ALL {
                assert_silent(&findings, rule);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// MAT-REQUIRED-MISSING

#[test]
fn required_business_licence_missing_for_an_enterprise_fires() {
    let mut o = enterprise();
    drop_material(&mut o, "m1");
    assert_fires(&check(&o), REQUIRED, Block, "materials");
}

#[test]
fn required_business_licence_not_needed_for_new_site_nor_for_an_individual() {
    // Same order as above, but a new site of an already filed subject: no licence required.
    let mut o = enterprise();
    drop_material(&mut o, "m1");
    o.filing_type = FilingType::NewSite;
    assert_silent(&check(&o), REQUIRED);
    // The individual sample has no licence at all.
    assert!(!individual().has_material(MaterialKind::BusinessLicence));
    assert_silent(&check(&individual()), REQUIRED);
}

#[test]
fn required_subject_leader_id_back_missing_fires() {
    let mut o = individual();
    drop_material(&mut o, "m3");
    assert_fires(&check(&o), REQUIRED, Block, "materials");
}

#[test]
fn required_subject_leader_id_not_needed_for_cancellations() {
    let mut o = individual();
    drop_material(&mut o, "m3");
    o.filing_type = FilingType::CancelSite;
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_site_leader_id_missing_when_leaders_differ_fires() {
    let mut o = enterprise();
    drop_material(&mut o, "m4");
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
    let mut o = enterprise();
    drop_material(&mut o, "m5");
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
}

#[test]
fn required_site_leader_id_not_needed_when_the_subject_leader_leads_the_site() {
    let mut o = enterprise_same_leader();
    drop_material(&mut o, "m4");
    drop_material(&mut o, "m5");
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_site_leader_id_of_one_site_does_not_cover_another_site() {
    // Site 0's ids and photo are bound to site 0; the second site (another leader) has none.
    let o = enterprise_two_sites();
    let f = check(&o);
    assert_fires(&f, REQUIRED, Block, "sites[1]");
    assert!(
        of(&f, REQUIRED).iter().all(|x| x.path == "sites[1]"),
        "{f:#?}"
    );
    // Binding nothing (site absent) makes the ids and photo count for every site.
    let mut o = enterprise_two_sites();
    for m in &mut o.materials {
        m.site = None;
    }
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_verification_photo_missing_for_a_new_filing_fires() {
    let mut o = enterprise();
    drop_material(&mut o, "m6");
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
    let mut o = individual();
    o.filing_type = FilingType::ChangeSite;
    drop_material(&mut o, "m6");
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
}

#[test]
fn required_verification_photo_not_needed_when_no_site_is_added_or_changed() {
    let mut o = enterprise();
    drop_material(&mut o, "m6");
    o.filing_type = FilingType::ChangeSubject;
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_app_icon_missing_for_an_app_fires() {
    let mut o = app();
    drop_material(&mut o, "m10");
    o.sites[0].app.as_mut().unwrap().icon_material = None;
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
}

#[test]
fn required_app_icon_not_needed_for_a_website() {
    let mut o = app();
    drop_material(&mut o, "m10");
    o.sites[0].kind = SiteKind::Website;
    o.sites[0].app = None;
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_guangdong_commitment_letter_missing_fires() {
    let mut o = enterprise();
    assert_eq!(o.subject.region.province, "CN-GD");
    drop_material(&mut o, "m7");
    assert_fires(&check(&o), REQUIRED, Block, "materials");
    // The numeric form of the province code is the same province.
    o.subject.region.province = "CN-44".to_string();
    assert_fires(&check(&o), REQUIRED, Block, "materials");
}

#[test]
fn required_commitment_letter_not_needed_outside_guangdong() {
    let mut o = enterprise();
    drop_material(&mut o, "m7");
    o.subject.region.province = "CN-ZJ".to_string();
    assert_silent(&check(&o), REQUIRED);
}

#[test]
fn required_domain_certificate_blocks_where_current_and_warns_where_old() {
    // Shanxi requires a domain certificate (current): block.
    let mut o = enterprise();
    o.subject.region.province = "CN-SX".to_string();
    assert_fires(&check(&o), REQUIRED, Block, "sites[0]");
    // Jiangsu only on the old list: warn, never block.
    o.subject.region.province = "CN-JS".to_string();
    let f = check(&o);
    assert_fires(&f, REQUIRED, Warn, "sites[0]");
    assert!(
        of(&f, REQUIRED).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
}

#[test]
fn required_domain_certificate_satisfied_by_a_realname_screenshot() {
    for province in ["CN-SX", "CN-JS"] {
        let mut o = enterprise();
        o.subject.region.province = province.to_string();
        o.materials.push(material(
            "m9",
            MaterialKind::DomainRealnameScreenshot,
            Some(0),
            "materials/domain-cert.jpg",
        ));
        assert_silent(&check(&o), REQUIRED);
    }
}

// ---------------------------------------------------------------------------------------
// MAT-FILE-MISSING

#[test]
fn file_missing_fires_on_the_file_field() {
    let mut o = enterprise();
    set_file(&mut o, "m1", "materials/no-such-licence.jpg");
    assert_fires(&check_bytes(&o), FILE_MISSING, Block, "materials[0].file");
}

#[test]
fn file_unreadable_fires_too() {
    // A directory is there but cannot be read as a file.
    let mut o = enterprise();
    set_file(&mut o, "m7", "materials");
    assert_fires(&check_bytes(&o), FILE_MISSING, Block, "materials[6].file");
}

#[test]
fn file_missing_silent_when_the_file_exists_or_bytes_are_not_checked() {
    let mut o = enterprise();
    set_file(&mut o, "m1", "materials/licence-grey.jpg");
    assert_silent(&check_bytes(&o), FILE_MISSING);
    // Without material I/O nothing is known about the file.
    let mut o = enterprise();
    set_file(&mut o, "m1", "materials/no-such-licence.jpg");
    assert_silent(&check(&o), FILE_MISSING);
}

// ---------------------------------------------------------------------------------------
// MAT-FORMAT

#[test]
fn format_text_pretending_to_be_a_jpeg_fires() {
    let mut o = enterprise();
    set_file(&mut o, "m1", "materials/not-an-image.jpg");
    assert_eq!(o.materials[0].media_type.as_deref(), Some("image/jpeg"));
    assert_fires(&check_bytes(&o), FORMAT, Block, "materials[0]");
}

#[test]
fn format_declared_type_is_ignored_when_the_bytes_are_a_jpeg() {
    let mut o = enterprise();
    o.materials[0].media_type = Some("application/pdf".to_string());
    assert_silent(&check_bytes(&o), FORMAT);
}

#[test]
fn format_webp_is_not_accepted_but_png_and_pdf_are() {
    let png = colour_png(640, 640);
    let webp = scratch_file("colour-640x640.webp", || {
        colour_image(640, 640, ImageFormat::WebP)
    });
    let mut o = enterprise();
    set_file(&mut o, "m7", &webp);
    assert_fires(&check_bytes(&o), FORMAT, Block, "materials[6]");
    set_file(&mut o, "m7", &png);
    assert_silent(&check_bytes(&o), FORMAT);
    set_file(&mut o, "m7", &pdf_of_len(1000));
    assert_silent(&check_bytes(&o), FORMAT);
}

#[test]
fn format_truncated_jpeg_fires() {
    let cut = scratch_file("licence-truncated.jpg", || {
        let bytes = std::fs::read(examples_dir().join("materials/licence.jpg")).unwrap();
        bytes[..600].to_vec()
    });
    let mut o = enterprise();
    set_file(&mut o, "m1", &cut);
    assert_fires(&check_bytes(&o), FORMAT, Block, "materials[0]");
}

#[test]
fn format_oversized_file_warns_one_byte_over_the_limit_only() {
    let limit = data().limits.max_bytes as usize;
    assert_eq!(limit, 4 * 1024 * 1024);
    let mut o = enterprise();
    set_file(&mut o, "m7", &pdf_of_len(limit + 1));
    let f = check_bytes(&o);
    // The 4 MB limit is uncertain (providers differ): warn, never block.
    assert_fires(&f, FORMAT, Warn, "materials[6]");
    assert!(of(&f, FORMAT).iter().all(|x| x.severity == Warn), "{f:#?}");
    set_file(&mut o, "m7", &pdf_of_len(limit));
    assert_silent(&check_bytes(&o), FORMAT);
}

// ---------------------------------------------------------------------------------------
// MAT-DIGEST-MISMATCH

#[test]
fn digest_mismatch_fires_on_the_sha256_field() {
    let mut o = enterprise();
    // One hex digit off.
    let wrong = format!("{}0", &LICENCE_SHA256[..63]);
    assert_ne!(wrong, LICENCE_SHA256);
    o.materials[0].sha256 = Some(wrong);
    assert_fires(&check_bytes(&o), DIGEST, Block, "materials[0].sha256");
}

#[test]
fn digest_of_another_file_fires() {
    let mut o = enterprise();
    o.materials[0].sha256 = Some(LICENCE_SHA256.to_string());
    set_file(&mut o, "m1", "materials/licence-grey.jpg");
    assert_fires(&check_bytes(&o), DIGEST, Block, "materials[0].sha256");
}

#[test]
fn digest_correct_in_lower_or_upper_case_is_silent() {
    let mut o = enterprise();
    o.materials[0].sha256 = Some(LICENCE_SHA256.to_string());
    assert_silent(&check_bytes(&o), DIGEST);
    o.materials[0].sha256 = Some(LICENCE_SHA256.to_ascii_uppercase());
    assert_silent(&check_bytes(&o), DIGEST);
}

// ---------------------------------------------------------------------------------------
// MAT-NOT-COLOUR

#[test]
fn not_colour_greyscale_licence_fires() {
    let mut o = enterprise();
    set_file(&mut o, "m1", "materials/licence-grey.jpg");
    assert_fires(&check_bytes(&o), NOT_COLOUR, Block, "materials[0]");
}

#[test]
fn not_colour_greyscale_site_leader_id_fires() {
    let mut o = enterprise();
    set_file(&mut o, "m4", "materials/licence-grey.jpg");
    assert_fires(&check_bytes(&o), NOT_COLOUR, Block, "materials[3]");
}

#[test]
fn not_colour_silent_for_a_colour_scan_and_for_a_greyscale_letter() {
    // The colour licence (clean sample) is silent.
    assert_silent(&check_bytes(&enterprise()), NOT_COLOUR);
    // A greyscale commitment letter is not an id or certificate scan.
    let mut o = enterprise();
    set_file(&mut o, "m7", "materials/licence-grey.jpg");
    assert_silent(&check_bytes(&o), NOT_COLOUR);
}

// ---------------------------------------------------------------------------------------
// MAT-RESOLUTION-LOW

#[test]
fn resolution_low_small_id_scan_warns() {
    let mut o = enterprise();
    set_file(&mut o, "m2", "materials/id-small.jpg");
    assert_fires(&check_bytes(&o), RESOLUTION, Warn, "materials[1]");
}

#[test]
fn resolution_short_side_599_warns_and_600_is_silent() {
    let mut o = enterprise();
    set_file(&mut o, "m7", &colour_png(800, 599));
    assert_fires(&check_bytes(&o), RESOLUTION, Warn, "materials[6]");
    set_file(&mut o, "m7", &colour_png(800, 600));
    assert_silent(&check_bytes(&o), RESOLUTION);
}

#[test]
fn resolution_not_checked_on_a_small_app_icon() {
    // icon.png is 192×192: an icon is meant to be small.
    let o = app();
    assert_eq!(o.materials[at(&o, "m10")].file, "materials/icon.png");
    assert_silent(&check_bytes(&o), RESOLUTION);
}

// ---------------------------------------------------------------------------------------
// MAT-AUTH-LETTER-MISSING

/// The enterprise sample filed in Chongqing (site-leader letter required), without its letter.
fn chongqing_without_letter() -> Order {
    let mut o = enterprise();
    o.subject.region.province = "CN-CQ".to_string();
    drop_material(&mut o, "m8");
    o
}

#[test]
fn auth_letter_missing_for_a_non_legal_site_leader_fires() {
    let o = chongqing_without_letter();
    assert!(!o.sites[0].leader.is_legal_representative);
    assert_fires(&check(&o), AUTH_LETTER, Block, "sites[0].leader");
}

#[test]
fn auth_letter_present_or_not_required_is_silent() {
    // Same order with its letter.
    let mut o = enterprise();
    o.subject.region.province = "CN-CQ".to_string();
    assert_silent(&check(&o), AUTH_LETTER);
    // Guangdong does not require a site-leader letter.
    let mut o = chongqing_without_letter();
    o.subject.region.province = "CN-GD".to_string();
    assert_silent(&check(&o), AUTH_LETTER);
    // The site leader is the legal representative.
    let mut o = chongqing_without_letter();
    o.sites[0].leader = o.subject.leader.clone();
    assert_silent(&check(&o), AUTH_LETTER);
    // A subject change does not add or change a site.
    let mut o = chongqing_without_letter();
    o.filing_type = FilingType::ChangeSubject;
    assert_silent(&check(&o), AUTH_LETTER);
}

#[test]
fn auth_letter_of_one_site_does_not_cover_another_site() {
    let mut o = enterprise_two_sites();
    o.subject.region.province = "CN-CQ".to_string();
    let f = check(&o);
    assert_fires(&f, AUTH_LETTER, Block, "sites[1].leader");
    assert!(
        of(&f, AUTH_LETTER)
            .iter()
            .all(|x| x.path == "sites[1].leader"),
        "{f:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// MAT-PARTY-CERT-MISSING

#[test]
fn party_cert_missing_in_xinjiang_new_filing_fires() {
    let o = sample("xinjiang-no-party-cert.json");
    assert_fires(&check(&o), PARTY_CERT, Block, "materials");
}

#[test]
fn party_cert_missing_in_tibet_new_site_fires() {
    let mut o = individual();
    o.subject.region.province = "CN-XZ".to_string();
    o.filing_type = FilingType::NewSite;
    assert_fires(&check(&o), PARTY_CERT, Block, "materials");
}

#[test]
fn party_cert_present_or_not_required_is_silent() {
    // With the confirmation uploaded.
    let mut o = sample("xinjiang-no-party-cert.json");
    o.materials.push(material(
        "m9",
        MaterialKind::PartyBuildingCert,
        None,
        "materials/party-cert.jpg",
    ));
    assert_silent(&check(&o), PARTY_CERT);
    // Other filing types in Xinjiang.
    for ft in [
        FilingType::NewAccess,
        FilingType::ChangeSite,
        FilingType::ChangeFiling,
    ] {
        let mut o = sample("xinjiang-no-party-cert.json");
        o.filing_type = ft;
        assert_silent(&check(&o), PARTY_CERT);
    }
    // Another province (Zhejiang, the clean individual's).
    let mut o = sample("xinjiang-no-party-cert.json");
    o.subject.region.province = "CN-ZJ".to_string();
    assert_silent(&check(&o), PARTY_CERT);
}

// ---------------------------------------------------------------------------------------
// MAT-VERIFY-PHOTO-BACKGROUND

#[test]
fn verify_photo_dark_background_warns() {
    let mut o = enterprise();
    set_file(&mut o, "m6", "materials/photo-dark.jpg");
    assert_fires(&check_bytes(&o), PHOTO_BACKGROUND, Warn, "materials[5]");
}

#[test]
fn verify_photo_white_background_or_dark_image_of_another_kind_is_silent() {
    // The white-background photo of the clean sample.
    assert_silent(&check_bytes(&enterprise()), PHOTO_BACKGROUND);
    // The dark picture as a commitment letter is not a verification photo.
    let mut o = enterprise();
    set_file(&mut o, "m7", "materials/photo-dark.jpg");
    assert_silent(&check_bytes(&o), PHOTO_BACKGROUND);
}
