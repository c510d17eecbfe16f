//! Filing type and status family (rules.md "Filing type and status"): for every rule, an order
//! made for it where the rule fires (id, severity, path) and a near miss where it stays
//! silent, each built from a clean sample by changing as little as possible.

mod common;
use common::*;

use icp_review::domain::{FilingType, Nature, Order, Status};
use icp_review::rules::Severity::{Block, Warn};

const CONTACT_CHANGE: &str = "TYPE-PERSONAL-CONTACT-CHANGE";
const UNIT_TO_PERSONAL: &str = "TYPE-UNIT-TO-PERSONAL";
const IN_PROGRESS: &str = "TYPE-IN-PROGRESS";
const SITE_COUNT: &str = "TYPE-SITE-COUNT";
const IMMUTABLE: &str = "TYPE-CHANGE-IMMUTABLE";
const SHELL: &str = "TYPE-CANCEL-ACCESS-SHELL";

const ALL: [&str; 6] = [
    CONTACT_CHANGE,
    UNIT_TO_PERSONAL,
    IN_PROGRESS,
    SITE_COUNT,
    IMMUTABLE,
    SHELL,
];

// ---------------------------------------------------------------------------------------
// helpers

/// `now` as a change order of type `ft` whose before-state is `before`.
fn change(mut now: Order, ft: FilingType, before: Order) -> Order {
    now.filing_type = ft;
    now.previous = Some(Box::new(before));
    now
}

/// The individual sample with a new mobile for the person (subject and site leader alike).
fn individual_new_mobile() -> Order {
    let mut o = individual();
    o.subject.leader.mobile = "13857129999".to_string();
    o.sites[0].leader.mobile = "13857129999".to_string();
    o
}

/// Another order in the queue: a copy of `o` with its own id, account and status.
fn other(o: &Order, id: &str, account: &str, status: Status) -> Order {
    let mut x = o.clone();
    x.id = id.to_string();
    x.account = account.to_string();
    x.status = status;
    x
}

/// The enterprise sample with a second website (its own domain).
fn enterprise_two_sites() -> Order {
    let mut o = enterprise();
    let mut second = o.sites[0].clone();
    second.name = "凌云数据博客".to_string();
    second.domains[0].name = "lingyun-blog.cn".to_string();
    o.sites.push(second);
    o
}

// ---------------------------------------------------------------------------------------
// clean bases

#[test]
fn clean_samples_are_silent_for_every_filing_type_rule() {
    for o in [enterprise(), individual(), app()] {
        let f = check(&o);
        for rule in ALL {
            assert_silent(&f, rule);
        }
        // Also checked together with each other (different accounts and subjects).
        let f = check_with(
            &o,
            &[],
            &[enterprise(), individual(), app()].map(|x| {
                let id = format!("{}-other", x.id);
                let account = format!("{}-other", x.account);
                other(&x, &id, &account, Status::Completed)
            }),
        );
        assert_silent(&f, IN_PROGRESS);
    }
}

// ---------------------------------------------------------------------------------------
// TYPE-PERSONAL-CONTACT-CHANGE

#[test]
fn personal_contact_change_with_change_subject_or_change_site_fires() {
    for ft in [FilingType::ChangeSubject, FilingType::ChangeSite] {
        let o = change(individual_new_mobile(), ft, individual());
        assert_fires(&check(&o), CONTACT_CHANGE, Block, "filing_type");
    }
    // Any contact detail counts: e-mail, emergency phone.
    let mut now = individual();
    now.subject.leader.email = "liuxm@126.com".to_string();
    let o = change(now, FilingType::ChangeSubject, individual());
    assert_fires(&check(&o), CONTACT_CHANGE, Block, "filing_type");
    let mut now = individual();
    now.sites[0].leader.emergency_phone = "13957129999".to_string();
    let o = change(now, FilingType::ChangeSite, individual());
    assert_fires(&check(&o), CONTACT_CHANGE, Block, "filing_type");
}

#[test]
fn personal_change_subject_without_a_before_state_fires() {
    // Reading of the engine: an individual's name and id cannot change, so a subject or site
    // change with nothing to compare against is taken as a contact change.
    let mut o = individual();
    o.filing_type = FilingType::ChangeSubject;
    assert_fires(&check(&o), CONTACT_CHANGE, Block, "filing_type");
}

#[test]
fn personal_contact_change_with_change_filing_is_silent() {
    let o = change(
        individual_new_mobile(),
        FilingType::ChangeFiling,
        individual(),
    );
    assert_silent(&check(&o), CONTACT_CHANGE);
}

#[test]
fn organisation_contact_change_with_change_subject_is_silent() {
    let mut now = enterprise();
    now.subject.leader.mobile = "13826540000".to_string();
    let o = change(now, FilingType::ChangeSubject, enterprise());
    assert_silent(&check(&o), CONTACT_CHANGE);
}

#[test]
fn personal_change_site_without_a_contact_change_is_silent() {
    // Only the site name changes; the same mobile written with +86 is the same number.
    let mut now = individual();
    now.sites[0].name = "山野花草随笔".to_string();
    now.sites[0].leader.mobile = "+86 13857120034".to_string();
    let o = change(now, FilingType::ChangeSite, individual());
    assert_silent(&check(&o), CONTACT_CHANGE);
}

// ---------------------------------------------------------------------------------------
// TYPE-UNIT-TO-PERSONAL

#[test]
fn unit_to_personal_change_fires() {
    for ft in [FilingType::ChangeSubject, FilingType::ChangeFiling] {
        let o = change(individual(), ft, enterprise());
        assert_fires(&check(&o), UNIT_TO_PERSONAL, Block, "subject.nature");
    }
    // Any organisation nature, not only enterprises.
    let mut before = enterprise();
    before.subject.nature = Nature::SocialGroup;
    let o = change(individual(), FilingType::ChangeFiling, before);
    assert_fires(&check(&o), UNIT_TO_PERSONAL, Block, "subject.nature");
}

#[test]
fn unit_to_personal_silent_when_nature_stays_or_not_a_change() {
    // Individual stays individual.
    let o = change(
        individual_new_mobile(),
        FilingType::ChangeFiling,
        individual(),
    );
    assert_silent(&check(&o), UNIT_TO_PERSONAL);
    // Organisation stays an organisation (another organisation nature).
    let mut now = enterprise();
    now.subject.nature = Nature::PrivateNonEnterprise;
    let o = change(now, FilingType::ChangeSubject, enterprise());
    assert_silent(&check(&o), UNIT_TO_PERSONAL);
    // Personal to unit is another matter (not this rule).
    let o = change(enterprise(), FilingType::ChangeFiling, individual());
    assert_silent(&check(&o), UNIT_TO_PERSONAL);
    // A resubmitted new filing whose rejected version was an organisation is no change order.
    let o = change(individual(), FilingType::NewFiling, enterprise());
    assert_silent(&check(&o), UNIT_TO_PERSONAL);
}

// ---------------------------------------------------------------------------------------
// TYPE-IN-PROGRESS

#[test]
fn in_progress_same_account_under_review_fires() {
    let o = enterprise();
    for status in [
        Status::Pending,
        Status::Resubmitted,
        Status::AwaitingCall,
        Status::Approved,
    ] {
        // Another order of the same account, for another subject.
        let mut x = other(&individual(), "EX-2026-09001", &o.account, status);
        x.subject.certificate.number = ric("330106", "19910101", "011");
        let f = check_with(&o, &[], &[x]);
        assert_fires(&f, IN_PROGRESS, Block, "id");
    }
}

#[test]
fn in_progress_same_subject_other_account_fires() {
    let o = enterprise();
    let mut x = other(&o, "EX-2026-09002", "acct-someone-else", Status::Pending);
    // The same certificate number, written in lower case with spaces.
    x.subject.certificate.number = format!(" {} ", o.subject.certificate.number.to_lowercase());
    assert_fires(&check_with(&o, &[], &[x]), IN_PROGRESS, Block, "id");
}

#[test]
fn in_progress_silent_when_the_other_order_is_finished() {
    let o = enterprise();
    for status in [
        Status::Completed,
        Status::Rejected,
        Status::Withdrawn,
        Status::Abandoned,
    ] {
        let same_account = other(&o, "EX-2026-09003", &o.account, status);
        assert_silent(&check_with(&o, &[], &[same_account]), IN_PROGRESS);
    }
}

#[test]
fn in_progress_silent_for_another_account_and_subject_or_the_order_itself() {
    let o = enterprise();
    // Another account, another subject, under review.
    let mut x = other(&o, "EX-2026-09004", "acct-someone-else", Status::Pending);
    x.subject.certificate.number = uscc("91440300MA5F8K2Q2");
    assert_ne!(x.subject.certificate.number, o.subject.certificate.number);
    assert_silent(&check_with(&o, &[], &[x]), IN_PROGRESS);
    // An older copy of the same order (same id) is not "another order".
    let same = other(&o, &o.id, &o.account, Status::Pending);
    assert_silent(&check_with(&o, &[], &[same]), IN_PROGRESS);
}

// ---------------------------------------------------------------------------------------
// TYPE-SITE-COUNT

#[test]
fn site_count_two_sites_fires_for_single_site_types() {
    for ft in [
        FilingType::CancelSite,
        FilingType::ChangeSite,
        FilingType::CancelAccess,
    ] {
        let mut o = enterprise_two_sites();
        o.filing_type = ft;
        assert_fires(&check(&o), SITE_COUNT, Block, "sites");
    }
}

#[test]
fn site_count_no_site_fires() {
    let mut o = enterprise();
    o.filing_type = FilingType::CancelSite;
    o.sites.clear();
    assert_fires(&check(&o), SITE_COUNT, Block, "sites");
}

#[test]
fn site_count_exactly_one_site_or_other_types_is_silent() {
    for ft in [
        FilingType::CancelSite,
        FilingType::ChangeSite,
        FilingType::CancelAccess,
    ] {
        let mut o = enterprise();
        o.filing_type = ft;
        assert_silent(&check(&o), SITE_COUNT);
    }
    // Types that may name several sites (or none).
    for ft in [
        FilingType::NewFiling,
        FilingType::ChangeFiling,
        FilingType::CancelSubject,
    ] {
        let mut o = enterprise_two_sites();
        o.filing_type = ft;
        assert_silent(&check(&o), SITE_COUNT);
    }
    let mut o = enterprise();
    o.filing_type = FilingType::CancelSubject;
    o.sites.clear();
    assert_silent(&check(&o), SITE_COUNT);
}

// ---------------------------------------------------------------------------------------
// TYPE-CHANGE-IMMUTABLE

#[test]
fn change_immutable_province_changed_fires() {
    let mut now = enterprise();
    now.subject.region.province = "CN-HI".to_string();
    let o = change(now, FilingType::ChangeFiling, enterprise());
    assert_fires(&check(&o), IMMUTABLE, Block, "subject.region.province");
}

#[test]
fn change_immutable_certificate_number_changed_fires() {
    let mut now = enterprise();
    now.subject.certificate.number = uscc("91440300MA5F8K2Q9");
    let o = change(now, FilingType::ChangeSubject, enterprise());
    assert_fires(&check(&o), IMMUTABLE, Block, "subject.certificate.number");
}

#[test]
fn change_immutable_silent_for_the_same_province_and_number_however_written() {
    // Same number in lower case with spaces; same province with spaces or as its numeric code.
    let mut now = enterprise();
    now.subject.certificate.number = format!(" {} ", now.subject.certificate.number.to_lowercase());
    now.subject.region.province = " CN-GD ".to_string();
    now.subject.address = "深圳市某路99号5楼".to_string();
    let o = change(now.clone(), FilingType::ChangeSubject, enterprise());
    assert_silent(&check(&o), IMMUTABLE);
    now.subject.region.province = "CN-44".to_string();
    let o = change(now, FilingType::ChangeSubject, enterprise());
    assert_silent(&check(&o), IMMUTABLE);
}

#[test]
fn change_immutable_silent_without_a_before_state_or_for_non_change_orders() {
    // A change order with nothing to compare against.
    let mut o = enterprise();
    o.filing_type = FilingType::ChangeFiling;
    assert_silent(&check(&o), IMMUTABLE);
    // A resubmitted new filing that moved province is not a change order.
    let mut now = enterprise();
    now.subject.region.province = "CN-HI".to_string();
    let o = change(now, FilingType::NewFiling, enterprise());
    assert_silent(&check(&o), IMMUTABLE);
}

// ---------------------------------------------------------------------------------------
// TYPE-CANCEL-ACCESS-SHELL

#[test]
fn cancel_access_shell_warns() {
    let mut o = enterprise();
    o.filing_type = FilingType::CancelAccess;
    let f = check(&o);
    assert_fires(&f, SHELL, Warn, "filing_type");
    assert!(of(&f, SHELL).iter().all(|x| x.severity == Warn), "{f:#?}");
}

#[test]
fn cancel_site_or_subject_is_silent_for_the_shell_warning() {
    for ft in [FilingType::CancelSite, FilingType::CancelSubject] {
        let mut o = enterprise();
        o.filing_type = ft;
        assert_silent(&check(&o), SHELL);
    }
}
