//! Contact rules (rules.md § Contacts): formats, separation between the leaders of one
//! order, and the cross-order rules that compare people across subjects.

mod common;
use common::*;
use icp_review::domain::{Order, Status};
use icp_review::rules::Finding;
use icp_review::rules::Severity::Block;

const FAMILY: [&str; 9] = [
    "CONTACT-MOBILE-FORMAT",
    "CONTACT-EMAIL-FORMAT",
    "CONTACT-EMERGENCY-SAME",
    "CONTACT-LEADERS-SHARE-MOBILE",
    "CONTACT-LEADERS-SHARE-EMAIL",
    "CONTACT-EMERGENCY-COLLIDES",
    "CONTACT-SITE-LEADER-MULTI-SUBJECT",
    "CONTACT-LEGALREP-INCONSISTENT",
    "CONTACT-MOBILE-REUSED",
];

/// Check `base` (which must be silent for `rule`), then check it again after `change`.
#[track_caller]
fn after(rule: &str, base: Order, change: impl FnOnce(&mut Order)) -> Vec<Finding> {
    assert_silent(&check(&base), rule);
    let mut o = base;
    change(&mut o);
    check(&o)
}

/// Another company's order in the queue: another certificate number, name and domain,
/// and other people (nobody shares an id, mobile or e-mail with the enterprise sample).
fn other_subject() -> Order {
    let mut o = enterprise();
    o.id = "EX-2026-09001".into();
    o.account = "acct-ex-2026-09001".into();
    o.subject.name = "广州远图物流有限公司".into();
    o.subject.certificate.number = uscc("91440101MA5C9W3N6");
    o.sites[0].name = "远图物流".into();
    o.sites[0].domains[0].name = "yuantu56.cn".into();
    o.sites[0].domains[0].holder = "广州远图物流有限公司".into();
    let l = &mut o.subject.leader;
    l.name = "钱文博".into();
    l.id_number = ric("440104", "19700909", "115");
    l.mobile = "13904111234".into();
    l.emergency_phone = "13998765432".into();
    l.email = "qianwb@yuantu56.cn".into();
    let l = &mut o.sites[0].leader;
    l.name = "孙丽".into();
    l.id_number = ric("440104", "19880512", "226");
    l.mobile = "13602245588".into();
    l.emergency_phone = "13602245599".into();
    l.email = "sunli@yuantu56.cn".into();
    o
}

/// Another order of the enterprise sample's own subject (same certificate number), e.g.
/// an earlier filing of the same company.
fn same_subject_other_order() -> Order {
    let mut o = enterprise();
    o.id = "EX-2026-09002".into();
    o.status = Status::Completed;
    o
}

fn with_status(mut o: Order, status: Status) -> Order {
    o.status = status;
    o
}

#[test]
fn clean_samples_are_silent_for_the_whole_family() {
    for (name, o) in [
        ("enterprise", enterprise()),
        ("individual", individual()),
        ("app", app()),
    ] {
        let f = check(&o);
        for rule in FAMILY {
            assert!(
                f.iter().all(|x| x.rule != rule),
                "{name}: {rule} fired on the clean sample: {f:#?}"
            );
        }
    }
    // Two unrelated subjects in one queue.
    let f = check_with(&enterprise(), &[], &[other_subject()]);
    for rule in FAMILY {
        assert_silent(&f, rule);
    }
}

// ---------------------------------------------------------------- CONTACT-MOBILE-FORMAT

#[test]
fn mobile_not_a_mainland_mobile() {
    for bad in [
        "12826541298",
        "1382654129",
        "138265412980",
        "1382654129a",
        "１３８２６５４１２９８",
        "0755-26541298",
    ] {
        let f = after("CONTACT-MOBILE-FORMAT", enterprise(), |o| {
            o.subject.leader.mobile = bad.into()
        });
        assert_fires(&f, "CONTACT-MOBILE-FORMAT", Block, "subject.leader.mobile");
    }
    let f = after("CONTACT-MOBILE-FORMAT", enterprise(), |o| {
        o.sites[0].leader.mobile = "11713452290".into()
    });
    assert_fires(&f, "CONTACT-MOBILE-FORMAT", Block, "sites[0].leader.mobile");
}

#[test]
fn mainland_mobiles_near_miss() {
    for ok in [
        "+8613826541298",
        "+86 13826541298",
        "19926541298",
        "13026541298",
    ] {
        let f = after("CONTACT-MOBILE-FORMAT", enterprise(), |o| {
            o.subject.leader.mobile = ok.into()
        });
        assert_silent(&f, "CONTACT-MOBILE-FORMAT");
    }
}

// ---------------------------------------------------------------- CONTACT-EMAIL-FORMAT

#[test]
fn email_not_valid() {
    for bad in [
        "wanght@lingyun-tech",
        "wanght.lingyun-tech.cn",
        "wang ht@lingyun-tech.cn",
        "wanght@@lingyun-tech.cn",
        "wanght@lingyun_tech.cn",
        "@lingyun-tech.cn",
        "",
    ] {
        let f = after("CONTACT-EMAIL-FORMAT", enterprise(), |o| {
            o.subject.leader.email = bad.into()
        });
        assert_fires(&f, "CONTACT-EMAIL-FORMAT", Block, "subject.leader.email");
    }
    let f = after("CONTACT-EMAIL-FORMAT", enterprise(), |o| {
        o.sites[0].leader.email = "chensy@lingyun-tech.c".into()
    });
    assert_fires(&f, "CONTACT-EMAIL-FORMAT", Block, "sites[0].leader.email");
}

#[test]
fn valid_emails_near_miss() {
    for ok in [
        "Wang.HT+icp@lingyun-tech.com.cn",
        "wanght@lingyun-tech.co",
        "liu@例子.中国",
    ] {
        let f = after("CONTACT-EMAIL-FORMAT", enterprise(), |o| {
            o.subject.leader.email = ok.into()
        });
        assert_silent(&f, "CONTACT-EMAIL-FORMAT");
    }
}

// ---------------------------------------------------------------- CONTACT-EMERGENCY-SAME

#[test]
fn emergency_phone_equals_own_mobile() {
    let f = after("CONTACT-EMERGENCY-SAME", enterprise(), |o| {
        o.subject.leader.emergency_phone = "13826541298".into()
    });
    assert_fires(
        &f,
        "CONTACT-EMERGENCY-SAME",
        Block,
        "subject.leader.emergency_phone",
    );
    // Written differently, the same number.
    let f = after("CONTACT-EMERGENCY-SAME", enterprise(), |o| {
        o.sites[0].leader.emergency_phone = "+86 137-1345-2290".into()
    });
    assert_fires(
        &f,
        "CONTACT-EMERGENCY-SAME",
        Block,
        "sites[0].leader.emergency_phone",
    );
    let f = after("CONTACT-EMERGENCY-SAME", individual(), |o| {
        o.subject.leader.emergency_phone = "13857120034".into()
    });
    assert_fires(
        &f,
        "CONTACT-EMERGENCY-SAME",
        Block,
        "subject.leader.emergency_phone",
    );
}

#[test]
fn emergency_phone_one_digit_off_near_miss() {
    let f = after("CONTACT-EMERGENCY-SAME", enterprise(), |o| {
        o.subject.leader.emergency_phone = "13826541299".into()
    });
    assert_silent(&f, "CONTACT-EMERGENCY-SAME");
}

// ---------------------------------------------------------------- CONTACT-LEADERS-SHARE-MOBILE

#[test]
fn different_leaders_share_a_mobile() {
    let f = check(&sample("leaders-share-mobile.json"));
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-MOBILE",
        Block,
        "sites[0].leader.mobile",
    );
    let f = after("CONTACT-LEADERS-SHARE-MOBILE", enterprise(), |o| {
        o.sites[0].leader.mobile = "+86 13826541298".into()
    });
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-MOBILE",
        Block,
        "sites[0].leader.mobile",
    );
}

#[test]
fn same_leader_shares_a_mobile_near_miss() {
    let f = check(&sample("same-leader-shares-ok.json"));
    assert_silent(&f, "CONTACT-LEADERS-SHARE-MOBILE");
    // Same id number, the name typed differently: the same person.
    let f = after("CONTACT-LEADERS-SHARE-MOBILE", enterprise(), |o| {
        o.sites[0].leader = o.subject.leader.clone();
        o.sites[0].leader.name = "王 海涛".into();
    });
    assert_silent(&f, "CONTACT-LEADERS-SHARE-MOBILE");
}

#[test]
fn namesakes_are_different_people() {
    // Same name, different id numbers: two people.
    let f = after("CONTACT-LEADERS-SHARE-MOBILE", enterprise(), |o| {
        o.sites[0].leader.name = "王海涛".into();
        o.sites[0].leader.mobile = "13826541298".into();
    });
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-MOBILE",
        Block,
        "sites[0].leader.mobile",
    );
}

#[test]
fn without_an_id_number_the_name_decides() {
    let f = after("CONTACT-LEADERS-SHARE-MOBILE", enterprise(), |o| {
        o.sites[0].leader.id_number = String::new();
        o.sites[0].leader.mobile = "13826541298".into();
    });
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-MOBILE",
        Block,
        "sites[0].leader.mobile",
    );
    let f = after("CONTACT-LEADERS-SHARE-MOBILE", enterprise(), |o| {
        o.sites[0].leader.id_number = String::new();
        o.sites[0].leader.name = "王海涛".into();
        o.sites[0].leader.mobile = "13826541298".into();
    });
    assert_silent(&f, "CONTACT-LEADERS-SHARE-MOBILE");
}

// ---------------------------------------------------------------- CONTACT-LEADERS-SHARE-EMAIL

#[test]
fn different_leaders_share_an_email() {
    let f = after("CONTACT-LEADERS-SHARE-EMAIL", enterprise(), |o| {
        o.sites[0].leader.email = "wanght@lingyun-tech.cn".into()
    });
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-EMAIL",
        Block,
        "sites[0].leader.email",
    );
    // Addresses compare without case.
    let f = after("CONTACT-LEADERS-SHARE-EMAIL", enterprise(), |o| {
        o.sites[0].leader.email = "WangHT@Lingyun-Tech.cn".into()
    });
    assert_fires(
        &f,
        "CONTACT-LEADERS-SHARE-EMAIL",
        Block,
        "sites[0].leader.email",
    );
}

#[test]
fn same_leader_shares_an_email_near_miss() {
    let f = check(&sample("same-leader-shares-ok.json"));
    assert_silent(&f, "CONTACT-LEADERS-SHARE-EMAIL");
    // Different people, same company domain, different mailboxes.
    let f = after("CONTACT-LEADERS-SHARE-EMAIL", enterprise(), |o| {
        o.sites[0].leader.email = "wanght2@lingyun-tech.cn".into()
    });
    assert_silent(&f, "CONTACT-LEADERS-SHARE-EMAIL");
}

// ---------------------------------------------------------------- CONTACT-EMERGENCY-COLLIDES

#[test]
fn site_emergency_equals_a_subject_leader_phone() {
    // The subject leader's mobile, emergency phone and office phone.
    for phone in ["13826541298", "13926541377"] {
        let f = after("CONTACT-EMERGENCY-COLLIDES", enterprise(), |o| {
            o.sites[0].leader.emergency_phone = phone.into()
        });
        assert_fires(
            &f,
            "CONTACT-EMERGENCY-COLLIDES",
            Block,
            "sites[0].leader.emergency_phone",
        );
    }
    let f = after("CONTACT-EMERGENCY-COLLIDES", enterprise(), |o| {
        o.subject.leader.office_phone = Some("0755-26541200".into());
        o.sites[0].leader.emergency_phone = "075526541200".into();
    });
    assert_fires(
        &f,
        "CONTACT-EMERGENCY-COLLIDES",
        Block,
        "sites[0].leader.emergency_phone",
    );
}

#[test]
fn emergency_collision_near_misses() {
    // The same person may give the same emergency phone twice.
    let f = check(&sample("same-leader-shares-ok.json"));
    assert_silent(&f, "CONTACT-EMERGENCY-COLLIDES");
    // An office landline that is not the site leader's emergency phone.
    let f = after("CONTACT-EMERGENCY-COLLIDES", enterprise(), |o| {
        o.subject.leader.office_phone = Some("0755-26541200".into());
        o.sites[0].leader.emergency_phone = "0755-26541201".into();
    });
    assert_silent(&f, "CONTACT-EMERGENCY-COLLIDES");
}

// ---------------------------------------------------------------- CONTACT-SITE-LEADER-MULTI-SUBJECT

#[test]
fn site_leader_of_another_subject_example() {
    let a = sample("cross-site-leader-multi-subject/EX-2026-00001.json");
    let b = sample("cross-site-leader-multi-subject/EX-2026-00079.json");
    assert_silent(&check(&b), "CONTACT-SITE-LEADER-MULTI-SUBJECT");
    let f = check_with(&b, &[], &[a]);
    assert_fires(
        &f,
        "CONTACT-SITE-LEADER-MULTI-SUBJECT",
        Block,
        "sites[0].leader",
    );
}

#[test]
fn site_leader_of_another_subject_by_id_mobile_or_email() {
    let me = enterprise();
    let l = me.sites[0].leader.clone();
    let by_id = |o: &mut Order| o.sites[0].leader.id_number = l.id_number.clone();
    let by_mobile = |o: &mut Order| o.sites[0].leader.mobile = l.mobile.clone();
    let by_email = |o: &mut Order| o.sites[0].leader.email = l.email.to_uppercase();
    for (how, change) in [
        ("id", &by_id as &dyn Fn(&mut Order)),
        ("mobile", &by_mobile),
        ("email", &by_email),
    ] {
        let mut other = other_subject();
        change(&mut other);
        let f = check_with(&me, &[], &[other]);
        assert!(
            of(&f, "CONTACT-SITE-LEADER-MULTI-SUBJECT")
                .iter()
                .any(|x| x.severity == Block && x.path == "sites[0].leader"),
            "same site leader by {how}: {f:#?}"
        );
    }
}

#[test]
fn filed_orders_count() {
    let mut other = with_status(other_subject(), Status::Completed);
    other.sites[0].leader = enterprise().sites[0].leader.clone();
    let f = check_with(&enterprise(), &[], &[other]);
    assert_fires(
        &f,
        "CONTACT-SITE-LEADER-MULTI-SUBJECT",
        Block,
        "sites[0].leader",
    );
}

#[test]
fn site_leader_multi_subject_near_misses() {
    let me = enterprise();
    let mut other = other_subject();
    other.sites[0].leader = me.sites[0].leader.clone();
    // Withdrawn and abandoned orders hold nobody.
    for status in [Status::Withdrawn, Status::Abandoned] {
        let f = check_with(&me, &[], &[with_status(other.clone(), status)]);
        assert_silent(&f, "CONTACT-SITE-LEADER-MULTI-SUBJECT");
    }
    // The same subject (same certificate number) in another order.
    let f = check_with(&me, &[], &[same_subject_other_order()]);
    assert_silent(&f, "CONTACT-SITE-LEADER-MULTI-SUBJECT");
    // The same person as the other subject's subject leader only (not its site leader).
    let mut other = other_subject();
    other.subject.leader.name = me.sites[0].leader.name.clone();
    other.subject.leader.id_number = me.sites[0].leader.id_number.clone();
    let f = check_with(&me, &[], &[other]);
    assert_silent(&f, "CONTACT-SITE-LEADER-MULTI-SUBJECT");
}

// ---------------------------------------------------------------- CONTACT-LEGALREP-INCONSISTENT

/// Another company whose legal representative (subject leader) is the enterprise
/// sample's legal representative, with the contacts `change` gives him there.
fn legal_rep_elsewhere(change: impl FnOnce(&mut icp_review::domain::Person)) -> Order {
    let mut other = other_subject();
    other.subject.leader = enterprise().subject.leader.clone();
    change(&mut other.subject.leader);
    other
}

#[test]
fn legal_rep_with_another_mobile_elsewhere() {
    let other = legal_rep_elsewhere(|p| p.mobile = "13826549999".into());
    let f = check_with(&enterprise(), &[], &[other]);
    assert_fires(
        &f,
        "CONTACT-LEGALREP-INCONSISTENT",
        Block,
        "subject.leader.mobile",
    );
}

#[test]
fn legal_rep_with_another_email_elsewhere() {
    let other = legal_rep_elsewhere(|p| p.email = "wanght@yuantu56.cn".into());
    let f = check_with(&enterprise(), &[], &[other]);
    assert_fires(
        &f,
        "CONTACT-LEGALREP-INCONSISTENT",
        Block,
        "subject.leader.email",
    );
}

#[test]
fn legal_rep_consistent_near_misses() {
    let me = enterprise();
    // The same contacts, written differently.
    let other = legal_rep_elsewhere(|p| {
        p.mobile = "+86 138-2654-1298".into();
        p.email = "WangHT@Lingyun-Tech.cn".into();
    });
    let f = check_with(&me, &[], &[other]);
    assert_silent(&f, "CONTACT-LEGALREP-INCONSISTENT");
    // Another mobile, but in a withdrawn or abandoned order.
    for status in [Status::Withdrawn, Status::Abandoned] {
        let other = with_status(
            legal_rep_elsewhere(|p| p.mobile = "13826549999".into()),
            status,
        );
        let f = check_with(&me, &[], &[other]);
        assert_silent(&f, "CONTACT-LEGALREP-INCONSISTENT");
    }
    // Another mobile in another order of the same subject: one subject, not several.
    let mut same = same_subject_other_order();
    same.subject.leader.mobile = "13826549999".into();
    let f = check_with(&me, &[], &[same]);
    assert_silent(&f, "CONTACT-LEGALREP-INCONSISTENT");
}

// ---------------------------------------------------------------- CONTACT-MOBILE-REUSED

#[test]
fn mobile_of_another_person_in_another_subject() {
    // The other company's site leader (another person) uses our subject leader's mobile.
    let mut other = other_subject();
    other.sites[0].leader.mobile = "+86 13826541298".into();
    let f = check_with(&enterprise(), &[], &[other]);
    assert_fires(&f, "CONTACT-MOBILE-REUSED", Block, "subject.leader.mobile");
    // The other company's subject leader uses our site leader's mobile.
    let mut other = other_subject();
    other.subject.leader.mobile = "13713452290".into();
    let f = check_with(&enterprise(), &[], &[other]);
    assert_fires(&f, "CONTACT-MOBILE-REUSED", Block, "sites[0].leader.mobile");
}

#[test]
fn mobile_reuse_near_misses() {
    let me = enterprise();
    // The same person (same id number) with the same mobile in another subject.
    let mut other = other_subject();
    other.sites[0].leader = me.subject.leader.clone();
    other.sites[0].leader.is_legal_representative = false;
    let f = check_with(&me, &[], &[other]);
    assert_silent(&f, "CONTACT-MOBILE-REUSED");
    // Another person with that mobile, but the order was withdrawn or abandoned.
    for status in [Status::Withdrawn, Status::Abandoned] {
        let mut other = with_status(other_subject(), status);
        other.sites[0].leader.mobile = me.subject.leader.mobile.clone();
        let f = check_with(&me, &[], &[other]);
        assert_silent(&f, "CONTACT-MOBILE-REUSED");
    }
    // Another person with that mobile in another order of the same subject.
    let mut same = same_subject_other_order();
    same.sites[0].leader.mobile = me.subject.leader.mobile.clone();
    let f = check_with(&me, &[], &[same]);
    assert_silent(&f, "CONTACT-MOBILE-REUSED");
}
