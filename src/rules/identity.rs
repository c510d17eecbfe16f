//! Identity and format: resident ids, credit codes, names and natures.

use super::data::{Confidence, CrossProvince};
use super::text::{is_domain_name, looks_like_domain, norm, same_name};
use super::{Context, Out, Severity, Subject, ids};
use crate::domain::person::{ResidentIdError, UsccError, age_on, check_uscc, parse_resident_id};
use crate::domain::{CertType, FilingType, IdValidTo, MaterialKind, Nature, Order};
use jiff::ToSpan;

pub(super) fn severity(c: Confidence) -> Severity {
    match c {
        Confidence::Current => Severity::Block,
        Confidence::Old | Confidence::Uncertain => Severity::Warn,
    }
}

pub(super) fn ric_problem(e: ResidentIdError) -> (&'static str, &'static str) {
    match e {
        ResidentIdError::Length => ("位数不是18位", "is not 18 characters long"),
        ResidentIdError::Characters => (
            "含有非法字符",
            "has characters other than digits and a final X",
        ),
        ResidentIdError::BirthDate => (
            "出生日期不存在或晚于提交日期",
            "has an impossible birth date",
        ),
        ResidentIdError::CheckCharacter => ("校验位不正确", "fails the GB 11643 check character"),
    }
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let today = o.reference_date();
    let subj = &o.subject;
    let province = ctx.data.province(&subj.region.province);

    // ID-RESIDENT-CHECKSUM
    if subj.certificate.kind == CertType::ResidentId
        && let Err(e) = parse_resident_id(&subj.certificate.number, today)
    {
        let (zh, en) = ric_problem(e);
        out.push(
            ids::ID_RESIDENT_CHECKSUM,
            Severity::Block,
            "subject.certificate.number",
            format!("主办单位证件号码（居民身份证）{zh}。"),
            format!("The subject's resident id number {en}."),
        );
    }
    for (path, p) in o.people() {
        if p.id_type == CertType::ResidentId
            && let Err(e) = parse_resident_id(&p.id_number, today)
        {
            let (zh, en) = ric_problem(e);
            out.push(
                ids::ID_RESIDENT_CHECKSUM,
                Severity::Block,
                format!("{path}.id_number"),
                format!("负责人身份证号码{zh}。"),
                format!("The leader's resident id number {en}."),
            );
        }
    }

    // ID-USCC-CHECKSUM and ID-USCC-NATURE: organisation certificates carrying an 18-character code.
    let cert_no = subj.certificate.number.trim();
    let org_cert =
        !subj.certificate.kind.is_personal() && subj.certificate.kind != CertType::OrganizationCode;
    if org_cert && cert_no.chars().count() == 18 {
        match check_uscc(cert_no) {
            Ok(()) => {}
            // 18 characters but not 18 bytes: non-ASCII (e.g. full-width) characters.
            Err(UsccError::Characters | UsccError::Length) => out.push(ids::ID_USCC_CHECKSUM, Severity::Block, "subject.certificate.number",
                "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z，第3–8位须为数字）。",
                "The unified social credit code uses characters outside its alphabet (no I, O, S, V, Z; characters 3–8 are digits)."),
            Err(_) => out.push(ids::ID_USCC_CHECKSUM, Severity::Block, "subject.certificate.number",
                "统一社会信用代码校验位不正确，请核对证件号码。",
                "The unified social credit code fails the GB 32100 check character."),
        }
        if let Some(prefixes) = ctx.data.subjects.credit_code_prefixes.get(&subj.nature) {
            let head: String = cert_no.chars().take(2).collect();
            if !prefixes.contains(&head) {
                out.push(
                    ids::ID_USCC_NATURE,
                    Severity::Block,
                    "subject.certificate.number",
                    format!(
                        "信用代码前两位“{head}”与单位性质“{}”不对应（应为{}）。",
                        subj.nature.zh(),
                        prefixes.join("/")
                    ),
                    format!(
                        "Credit code prefix {head} does not fit the subject's nature, {} (expected {}).",
                        subj.nature.en(),
                        prefixes.join("/")
                    ),
                );
            }
        }
        // ID-ORG-CROSS-PROVINCE
        // Characters 3–8 by byte range: `get` (not indexing) so that a code with
        // multi-byte characters is left to ID-USCC-CHECKSUM instead of panicking.
        if let (Some(p), Some(division)) = (province, cert_no.get(2..8))
            && division.bytes().all(|b| b.is_ascii_digit())
            && division != "100000"
            && let Ok(region) = division[..2].parse::<u8>()
            && region != p.gb
        {
            let other = ctx
                .data
                .province_by_gb(region)
                .map(|x| x.name.as_str())
                .unwrap_or("其他地区");
            out.push(ids::ID_ORG_CROSS_PROVINCE, Severity::Warn, "subject.certificate.number",
                format!("信用代码登记地为{other}，备案省份为{}，请确认是否跨省备案。", p.name),
                format!("The credit code was issued in region {region:02}, but the filing is in {}: check for a cross-province filing.", p.name_en));
        }
    }

    // ID-LEGACY-CERTNO: an organisation filing with a pre-2015 number instead of the
    // 18-character unified social credit code.
    if subj.nature.is_organisation()
        && matches!(o.filing_type, FilingType::NewFiling | FilingType::NewAccess)
    {
        let compact: String = norm(cert_no).chars().filter(|c| *c != '-').collect();
        let registration = compact.len() == 15 && compact.bytes().all(|b| b.is_ascii_digit());
        let org_code = compact.len() == 9 && compact.bytes().all(|b| b.is_ascii_alphanumeric());
        let by_type = subj.certificate.kind == CertType::OrganizationCode;
        if registration || org_code || by_type {
            let sev = if o.filing_type == FilingType::NewFiling {
                Severity::Block
            } else {
                Severity::Warn
            };
            let (what_zh, what_en) = if registration {
                (
                    "15位营业执照注册号",
                    "a 15-digit business registration number",
                )
            } else if org_code {
                ("9位组织机构代码", "a 9-character organisation code")
            } else {
                ("组织机构代码证", "an organisation code certificate")
            };
            let path = if registration || org_code {
                "subject.certificate.number"
            } else {
                "subject.certificate.type"
            };
            out.push(ids::ID_LEGACY_CERTNO, sev, path,
                format!("主办单位证件为{what_zh}，请使用载有18位统一社会信用代码的最新证件备案。"),
                format!("The subject files with {what_en}; file with the current certificate carrying the 18-character unified social credit code."));
        }
    }

    // ID-CERT-NATURE-MISMATCH
    if let Some(allowed) = ctx.data.subjects.certificates.get(&subj.nature)
        && !allowed.contains(&subj.certificate.kind)
    {
        out.push(
            ids::ID_CERT_NATURE_MISMATCH,
            Severity::Block,
            "subject.certificate.type",
            format!(
                "单位性质“{}”不能使用“{}”作为主办单位证件。",
                subj.nature.zh(),
                subj.certificate.kind.zh()
            ),
            format!(
                "A subject that is {} cannot file with {}.",
                subj.nature.en(),
                subj.certificate.kind.en()
            ),
        );
    }
    for (path, p) in o.people() {
        if !p.id_type.is_personal() {
            out.push(
                ids::ID_CERT_NATURE_MISMATCH,
                Severity::Block,
                format!("{path}.id_type"),
                format!("负责人证件须为个人证件，不能是“{}”。", p.id_type.zh()),
                format!(
                    "A leader's document must be a personal one, not {}.",
                    p.id_type.en()
                ),
            );
        }
    }

    // Names
    let name = &subj.name;
    if name.contains('(') || name.contains(')') {
        out.push(
            ids::NAME_HALFWIDTH_BRACKETS,
            Severity::Block,
            "subject.name",
            "主办单位名称中的括号应为全角“（）”，与证件一致。",
            "Use full-width brackets （） in the subject name, as registered.",
        );
    }
    // Zero-width spaces (often pasted along from web pages) count as spaces at the ends.
    let trimmed = name.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
    });
    if trimmed.len() != name.len() || crate::domain::safe::has_control(name) || name.is_empty() {
        out.push(ids::NAME_NOT_EXACT, Severity::Block, "subject.name",
            "主办单位名称含首尾空格或控制字符，请按证件原样填写。",
            "The subject name has leading/trailing spaces or control characters; enter it exactly as on the certificate.");
    } else if looks_like_domain(&norm(name)) || is_domain_name(name, &ctx.data.tlds) {
        out.push(
            ids::NAME_NOT_EXACT,
            Severity::Block,
            "subject.name",
            "主办单位名称不能填写域名，请填写证件上的全称。",
            "The subject name is a domain name; enter the full name on the certificate.",
        );
    }
    if subj.nature == Nature::Individual && !same_name(name, &subj.leader.name) {
        out.push(
            ids::NAME_INDIVIDUAL_MISMATCH,
            Severity::Block,
            "subject.name",
            "个人备案的主办单位名称须与负责人姓名一致。",
            "An individual subject's name must be the leader's own name.",
        );
    }
    let n = norm(name);
    let suffix = ctx.data.naming.organisation_suffixes.iter().find(|sfx| {
        if subj.nature == Nature::Individual && sfx.chars().count() > 1 {
            n.contains(sfx.as_str())
        } else {
            n.ends_with(sfx.as_str())
        }
    });
    if subj.nature != Nature::Enterprise
        && let Some(sfx) = suffix
    {
        out.push(
            ids::NAME_NATURE_MISMATCH,
            Severity::Block,
            "subject.name",
            format!(
                "名称含企业字样“{sfx}”，但单位性质为“{}”。",
                subj.nature.zh()
            ),
            format!(
                "The name carries the enterprise marker {sfx} but the subject is {}.",
                subj.nature.en()
            ),
        );
    }

    // ID-PERSON-CROSS-PROVINCE
    if subj.nature == Nature::Individual
        && let Some(p) = province
    {
        let (path, number) = if subj.certificate.kind == CertType::ResidentId {
            ("subject.certificate.number", &subj.certificate.number)
        } else {
            ("subject.leader.id_number", &subj.leader.id_number)
        };
        let is_ric = subj.certificate.kind == CertType::ResidentId
            || subj.leader.id_type == CertType::ResidentId;
        if is_ric
            && let Ok(id) = parse_resident_id(number, today)
            && id.province_code != p.gb
        {
            let home = ctx
                .data
                .province_by_gb(id.province_code)
                .map(|x| x.name.as_str())
                .unwrap_or("外省");
            match &p.personal_cross_province {
                Some(f) if f.value == CrossProvince::Yes => {}
                Some(f) if f.value == CrossProvince::No => out.push(ids::ID_PERSON_CROSS_PROVINCE, severity(f.confidence), path,
                    format!("身份证归属{home}，{}管局不支持外省个人备案。", p.name),
                    format!("The id was issued in another province and {} does not accept individuals from other provinces.", p.name_en)),
                Some(f) => {
                    if !o.has_material(MaterialKind::ResidencePermit) {
                        out.push(ids::ID_PERSON_CROSS_PROVINCE, severity(f.confidence), path,
                            format!("身份证归属{home}，在{}备案须上传本省居住证。", p.name),
                            format!("The id was issued in another province; {} requires a local residence permit, none is uploaded.", p.name_en));
                    }
                }
                None => out.push(ids::ID_PERSON_CROSS_PROVINCE, Severity::Warn, path,
                    format!("身份证归属{home}，{}对外省个人备案无明确规定，请核实。", p.name),
                    format!("The id was issued in another province; {}'s policy on this is unknown: check it.", p.name_en)),
            }
        }
    }

    // ID-AGE-MINIMUM (rules.md v2): the province's minimum for this kind of filing
    // (individuals, or organisations' leaders), the default 18 where it gives none.
    // Current data: below `min` blocks, up to `proof_below` warns (extra proof). Old or
    // uncertain data: only an age both readings refuse (below it and below 18) blocks;
    // the rest of the gap between the readings warns.
    const DEFAULT_MIN_AGE: i32 = 18;
    let individual = subj.nature == Nature::Individual;
    let limit = province.and_then(|p| {
        if individual {
            p.min_age_individual.as_ref()
        } else {
            p.min_age_org_leader.as_ref()
        }
    });
    let (block_below, warn_below) = match limit {
        None => (DEFAULT_MIN_AGE, DEFAULT_MIN_AGE),
        Some(f) => {
            let min = i32::from(f.value.min);
            let proof = f.value.proof_below.map_or(min, i32::from).max(min);
            match f.confidence {
                Confidence::Current => (min, proof),
                Confidence::Old | Confidence::Uncertain => {
                    (min.min(DEFAULT_MIN_AGE), proof.max(DEFAULT_MIN_AGE))
                }
            }
        }
    };
    let kind_zh = if individual {
        "个人备案"
    } else {
        "单位负责人"
    };
    let kind_en = if individual {
        "for an individual filing"
    } else {
        "for an organisation's leader"
    };
    let place_zh = province.map_or("默认", |p| p.name.as_str());
    let place_en = province.map_or("by default", |p| p.name_en.as_str());
    let mut aged: Vec<(String, &str)> = Vec::new();
    if individual && subj.certificate.kind == CertType::ResidentId {
        aged.push((
            "subject.certificate.number".into(),
            &subj.certificate.number,
        ));
    }
    for (path, p) in o.people() {
        if p.id_type == CertType::ResidentId {
            aged.push((format!("{path}.id_number"), &p.id_number));
        }
    }
    for (path, number) in aged {
        if let Ok(id) = parse_resident_id(number, today) {
            let age = age_on(id.birth, today);
            if age < block_below {
                out.push(ids::ID_AGE_MINIMUM, Severity::Block, path,
                    format!("按身份证出生日期计算年龄为{age}岁，{place_zh}{kind_zh}须年满{block_below}周岁。"),
                    format!("By the birth date in the id the person is {age}; {place_en} requires {block_below} {kind_en}."));
            } else if age < warn_below {
                out.push(ids::ID_AGE_MINIMUM, Severity::Warn, path,
                    format!("按身份证出生日期计算年龄为{age}岁，未满{warn_below}周岁：{place_zh}{kind_zh}在此年龄须另附就业或收入证明，或本省规定尚待确认，请核实。"),
                    format!("By the birth date in the id the person is {age}, under {warn_below}: {place_en} asks for proof of employment or income at this age {kind_en}, or its rule is not confirmed; check."));
            }
        }
    }

    // ID-EXPIRES-SOON
    let limit = today.checked_add(3.months()).unwrap_or(today);
    for (path, p) in o.people() {
        if let Some(IdValidTo::Date(d)) = p.id_valid_to
            && d < limit
        {
            let (zh, en) = if d < today {
                ("已过期", "has expired")
            } else {
                ("剩余有效期不足三个月", "expires within three months")
            };
            out.push(
                ids::ID_EXPIRES_SOON,
                Severity::Block,
                format!("{path}.id_valid_to"),
                format!("负责人证件{zh}（有效期至{d}），请更换有效证件。"),
                format!("The leader's id document {en} (valid to {d})."),
            );
        }
    }
}

/// Used by the site rules: the person's name appears in a site name.
pub(super) fn person_name(o: &Order) -> Option<String> {
    let n = norm(&o.subject.leader.name);
    (n.chars().count() >= 2).then_some(n)
}
