//! Materials: required kinds, readable files, formats, digests, colour, resolution,
//! authorisation letters, party-building confirmations, verification photos.

use super::data::{Condition, Scope};
use super::identity::severity;
use super::{Context, MaterialState, Out, Severity, Subject, at, ids};
use crate::domain::person::same_person;
use crate::domain::{FilingType, MaterialKind, Nature, SiteKind};

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let province_code = o.subject.region.province.trim();
    let province = ctx.data.province(province_code);
    let limits = &ctx.data.limits;

    // MAT-REQUIRED-MISSING
    for r in &ctx.data.requirements {
        if !r.filing_types.contains(&o.filing_type)
            || (!r.natures.is_empty() && !r.natures.contains(&o.subject.nature))
            || (!r.provinces.is_empty() && !province.is_some_and(|p| r.provinces.contains(&p.code)))
        {
            continue;
        }
        let kinds = || std::iter::once(r.kind).chain(r.also.iter().copied());
        match r.scope {
            Scope::Subject => {
                if !kinds().any(|k| o.has_material(k)) {
                    out.push(
                        ids::MAT_REQUIRED_MISSING,
                        severity(r.confidence),
                        "materials",
                        format!("缺少“{}”，请补充上传。", r.kind.zh()),
                        format!("Missing material: {}.", r.kind.en()),
                    );
                }
            }
            Scope::Site => {
                for (i, site) in o.sites.iter().enumerate() {
                    let applies = match r.when {
                        Condition::Always => true,
                        Condition::LeadersDiffer => !same_person(&o.subject.leader, &site.leader),
                        Condition::App => site.kind == SiteKind::App,
                    };
                    if applies && !kinds().any(|k| o.materials_for_site(k, i).next().is_some()) {
                        out.push(
                            ids::MAT_REQUIRED_MISSING,
                            severity(r.confidence),
                            format!("sites[{i}]"),
                            format!(
                                "网站“{}”缺少“{}”，请补充上传。",
                                crate::domain::safe::sanitize(&site.name),
                                r.kind.zh()
                            ),
                            format!("Site {} is missing {}.", i + 1, r.kind.en()),
                        );
                    }
                }
            }
        }
    }

    // Byte checks
    let min_side = province
        .and_then(|p| p.min_image_side)
        .unwrap_or(limits.min_image_side);
    for (k, m) in o.materials.iter().enumerate() {
        let path = at("materials", k);
        match s.material_state(k) {
            MaterialState::NotChecked => {}
            MaterialState::Missing(_) => out.push(
                ids::MAT_FILE_MISSING,
                Severity::Block,
                format!("{path}.file"),
                "资料文件不存在，请重新上传。",
                "The material's file cannot be found.",
            ),
            MaterialState::Unreadable(why) => out.push(
                ids::MAT_FILE_MISSING,
                Severity::Block,
                format!("{path}.file"),
                "资料文件无法读取，请重新上传。",
                format!("The material's file cannot be read: {why}"),
            ),
            MaterialState::Inspected(ins) => {
                let accepted = limits.formats.iter().any(|f| f == ins.format.name());
                if !accepted {
                    out.push(ids::MAT_FORMAT, Severity::Block, path,
                        "文件内容不是可接受的图片或PDF格式（以实际内容为准，不看扩展名）。",
                        format!("The bytes are not an accepted image/PDF format (found {}), whatever the declared type.", ins.format.name()));
                } else if let Some(err) = &ins.decode_error {
                    out.push(
                        ids::MAT_FORMAT,
                        Severity::Block,
                        path,
                        "图片文件已损坏，无法打开。",
                        format!("The image is corrupt and cannot be decoded: {err}"),
                    );
                } else if ins.size > limits.max_bytes {
                    out.push(
                        ids::MAT_FORMAT,
                        severity(limits.max_bytes_confidence),
                        path,
                        format!(
                            "文件大小{:.1}MB，超过{}MB。",
                            ins.size as f64 / 1048576.0,
                            limits.max_bytes / 1048576
                        ),
                        format!(
                            "The file is {:.1} MB, over {} MB.",
                            ins.size as f64 / 1048576.0,
                            limits.max_bytes / 1048576
                        ),
                    );
                }
                if let Some(declared) = m.sha256.as_deref().map(str::trim).filter(|d| !d.is_empty())
                    && !declared.eq_ignore_ascii_case(&ins.sha256)
                {
                    out.push(
                        ids::MAT_DIGEST_MISMATCH,
                        Severity::Block,
                        format!("{path}.sha256"),
                        "文件内容与申报的SHA-256摘要不符，可能已被替换或损坏。",
                        "The bytes do not match the declared SHA-256 digest.",
                    );
                }
                if let Some(img) = &ins.image {
                    if m.kind.is_id_or_certificate_scan() && img.greyscale {
                        out.push(ids::MAT_NOT_COLOUR, Severity::Block, path,
                            format!("“{}”为黑白图片，须上传原件的彩色扫描件或照片。", m.kind.zh()),
                            format!("{} is a greyscale scan; a colour scan or photo of the original is required.", capitalise(m.kind.en())));
                    }
                    if m.kind != MaterialKind::AppIcon && img.width.min(img.height) < min_side {
                        out.push(ids::MAT_RESOLUTION_LOW, Severity::Warn, path,
                            format!("图片尺寸{}×{}，短边小于{min_side}像素，可能无法看清。", img.width, img.height),
                            format!("The image is {}×{}, shorter than {min_side} px on one side: it may be unreadable.", img.width, img.height));
                    }
                    if m.kind == MaterialKind::VerificationPhoto && !img.border_near_white {
                        out.push(ids::MAT_VERIFY_PHOTO_BACKGROUND, Severity::Warn, path,
                            "核验照背景不是白色，请检查是否按要求拍摄。",
                            "The verification photo's background is not near white: check it was taken as required.");
                    }
                }
            }
        }
    }

    // MAT-PARTY-CERT-MISSING
    if let Some(p) = province
        && p.party_building_cert
        && matches!(o.filing_type, FilingType::NewFiling | FilingType::NewSite)
        && !o.has_material(MaterialKind::PartyBuildingCert)
    {
        out.push(
            ids::MAT_PARTY_CERT_MISSING,
            Severity::Block,
            "materials",
            format!(
                "{}管局要求首次备案和新增网站上传党建证明（党建确认函）。",
                p.name
            ),
            format!(
                "{} requires a party-building confirmation for new filings and new sites.",
                p.name_en
            ),
        );
    }

    if o.filing_type.is_cancel() || o.subject.nature == Nature::Individual {
        return;
    }
    // MAT-AUTH-LETTER-MISSING (site leaders who are not the legal representative)
    if let Some(p) = province
        && let Some(f) = p.site_leader_letter.as_ref().filter(|f| f.value)
        && o.filing_type.adds_or_changes_site()
    {
        for (i, site) in o.sites.iter().enumerate() {
            if !site.leader.is_legal_representative
                && o.materials_for_site(MaterialKind::AuthorizationLetter, i)
                    .next()
                    .is_none()
            {
                out.push(ids::MAT_AUTH_LETTER_MISSING, severity(f.confidence), format!("sites[{i}].leader"),
                    format!("{}管局要求：网站负责人不是法定代表人时，须上传法定代表人授权书。", p.name),
                    format!("{}: a site leader who is not the legal representative needs the legal representative's authorisation letter.", p.name_en));
            }
        }
    }
    // Subject-leader letters in LETTER provinces are PROV-LEADER-LEGALREP (province.rs).
}

/// Whether the order has an authorisation letter for the subject leader: one bound to no site,
/// or to a site the subject leader leads as well (a letter bound to a site authorises that
/// site's leader).
pub(super) fn has_subject_letter(o: &crate::domain::Order) -> bool {
    o.materials.iter().any(|m| {
        m.kind == MaterialKind::AuthorizationLetter
            && m.site.is_none_or(|i| {
                o.sites
                    .get(i)
                    .is_some_and(|s| same_person(&o.subject.leader, &s.leader))
            })
    })
}

/// `the …` → `The …` at the start of a sentence.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
