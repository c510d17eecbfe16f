//! The subject's address against its region and its certificate's address
//! (SUBJ-ADDR-IN-REGION, SUBJ-ADDR-SAME-CITY), read with the division table.

use super::data::Level;
use super::identity::severity;
use super::{Context, Out, Severity, Subject, ids};

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    if o.filing_type.is_cancel() {
        return;
    }
    let Some(p) = ctx.data.province(&o.subject.region.province) else {
        return;
    };
    let divisions = &ctx.data.divisions;
    let named = divisions.read_address(&o.subject.address);
    // The region's city, when it names a prefecture (a municipality's city is itself).
    let region_city = o
        .subject
        .region
        .city
        .as_deref()
        .and_then(|c| divisions.lookup(c))
        .filter(|d| d.level != Level::Province);

    // SUBJ-ADDR-IN-REGION
    let outside = match (named.province, named.city) {
        (Some(np), _) if np.province_gb() != p.gb => Some(np),
        (_, Some(c)) if c.province_gb() != p.gb => Some(c),
        (_, Some(c)) if region_city.is_some_and(|r| r.code != c.code) => Some(c),
        _ => None,
    };
    if let Some(d) = outside {
        let (region_zh, region_en) = match region_city {
            Some(r) => (
                format!("{}{}", p.name, r.name),
                format!("{}, {}", p.name_en, r.name),
            ),
            None => (p.name.clone(), p.name_en.clone()),
        };
        out.push(
            ids::SUBJ_ADDR_IN_REGION,
            Severity::Block,
            "subject.address",
            format!("通信地址写的是“{}”，不在所选备案地区（{region_zh}）内。", d.name),
            format!(
                "The contact address names {}, outside the region chosen for the filing ({region_en}).",
                d.name
            ),
        );
    }

    // SUBJ-ADDR-SAME-CITY
    if let Some(f) = p.address_same_city.as_ref().filter(|f| f.value)
        && let Some(cert_address) = o.subject.certificate.address.as_deref()
        && let Some(here) = named.city
        && let Some(there) = divisions.read_address(cert_address).city
        && here.code != there.code
    {
        out.push(
            ids::SUBJ_ADDR_SAME_CITY,
            severity(f.confidence),
            "subject.address",
            format!(
                "{}管局要求通信地址与证件住所在同一地市：通信地址在{}，证件住所在{}。",
                p.name, here.name, there.name
            ),
            format!(
                "{} requires the contact address and the certificate's address in one city: the address is in {}, the certificate's in {}.",
                p.name_en, here.name, there.name
            ),
        );
    }
}
