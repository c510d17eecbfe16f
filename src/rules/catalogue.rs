//! The rule catalogue (rules.md, version 2): stable ids, families, allowed severities
//! and short titles. Every rule id a rule pushes is one of the constants of [`ids`],
//! generated here from the same table; `tests/catalogue.rs` checks the table against
//! rules.md (ids and severities).

use super::Severity;
use serde::Serialize;

/// The version of rules.md this catalogue implements.
pub const CATALOGUE_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Identity,
    Contact,
    Domain,
    Site,
    App,
    Access,
    Material,
    FilingType,
    Province,
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub id: &'static str,
    pub family: Family,
    /// `block`, `warn`, or `block/warn` for rules whose severity depends on the case.
    pub severity: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// Cross-order rules look at other orders.
    pub cross_order: bool,
    /// A `block` rule driven by rule data whose facts carry a confidence: an old or
    /// uncertain fact makes it `warn` (rules.md: such facts never block).
    pub softens: bool,
}

impl RuleMeta {
    /// Whether the catalogue lets this rule push `severity`.
    pub fn allows(&self, severity: Severity) -> bool {
        self.severity.split('/').any(|s| s == severity.as_str())
            || (self.softens && severity == Severity::Warn)
    }
}

/// A rule id from the catalogue: the only thing a rule can push a finding under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleId(pub(crate) usize);

impl RuleId {
    pub fn meta(self) -> &'static RuleMeta {
        &CATALOGUE[self.0]
    }
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($($name:ident $id:literal $fam:ident $sev:literal $x:literal $soft:literal $zh:literal $en:literal;)+) => {
        /// Every rule, in catalogue order.
        pub static CATALOGUE: &[RuleMeta] = &[
            $(RuleMeta { id: $id, family: Family::$fam, severity: $sev, cross_order: $x, softens: $soft, title_zh: $zh, title_en: $en },)+
        ];

        /// One constant per rule id (`ids::DOMAIN_WWW` is `DOMAIN-WWW`).
        #[allow(non_upper_case_globals)]
        pub mod ids {
            use super::RuleId;
            rules!(@ids 0usize; $($name)+);
        }

        /// The constant names, aligned with [`CATALOGUE`] (checked by a test).
        pub static CONST_NAMES: &[&str] = &[$(stringify!($name)),+];
    };
    (@ids $n:expr; $name:ident $($rest:ident)*) => {
        pub const $name: RuleId = RuleId($n);
        rules!(@ids $n + 1usize; $($rest)*);
    };
    (@ids $n:expr;) => {};
}

rules! {
    ID_RESIDENT_CHECKSUM "ID-RESIDENT-CHECKSUM" Identity "block" false false "身份证号码无效" "Resident id number invalid";
    ID_USCC_CHECKSUM "ID-USCC-CHECKSUM" Identity "block" false false "统一社会信用代码校验不通过" "Credit code fails its check";
    ID_CERT_NATURE_MISMATCH "ID-CERT-NATURE-MISMATCH" Identity "block" false false "证件类型与单位性质不符" "Certificate type does not fit the nature";
    NAME_HALFWIDTH_BRACKETS "NAME-HALFWIDTH-BRACKETS" Identity "block" false false "名称使用了半角括号" "Half-width brackets in the name";
    NAME_INDIVIDUAL_MISMATCH "NAME-INDIVIDUAL-MISMATCH" Identity "block" false false "个人主体名称与负责人不一致" "Individual's name differs from the leader";
    NAME_NOT_EXACT "NAME-NOT-EXACT" Identity "block" false false "主体名称不规范" "Subject name not exact";
    NAME_NATURE_MISMATCH "NAME-NATURE-MISMATCH" Identity "block" false false "名称与单位性质不符" "Name does not fit the nature";
    ID_USCC_NATURE "ID-USCC-NATURE" Identity "block" false false "信用代码类别与单位性质不符" "Credit code category does not fit the nature";
    ID_ORG_CROSS_PROVINCE "ID-ORG-CROSS-PROVINCE" Identity "warn" false false "单位登记地与备案省份不同" "Organisation registered in another province";
    ID_PERSON_CROSS_PROVINCE "ID-PERSON-CROSS-PROVINCE" Identity "block/warn" false false "个人跨省备案" "Individual filing outside home province";
    ID_AGE_MINIMUM "ID-AGE-MINIMUM" Identity "block/warn" false false "负责人未达最低年龄" "Leader below the minimum age";
    ID_EXPIRES_SOON "ID-EXPIRES-SOON" Identity "block" false false "证件有效期不足三个月" "Id document expires within 3 months";
    CONTACT_MOBILE_FORMAT "CONTACT-MOBILE-FORMAT" Contact "block" false false "手机号码格式不正确" "Mobile number invalid";
    CONTACT_EMAIL_FORMAT "CONTACT-EMAIL-FORMAT" Contact "block" false false "电子邮箱格式不正确" "E-mail address invalid";
    CONTACT_EMERGENCY_SAME "CONTACT-EMERGENCY-SAME" Contact "block" false false "应急电话与手机号相同" "Emergency phone equals the mobile";
    CONTACT_LEADERS_SHARE_MOBILE "CONTACT-LEADERS-SHARE-MOBILE" Contact "block" false false "不同负责人使用同一手机号" "Different leaders share a mobile";
    CONTACT_LEADERS_SHARE_EMAIL "CONTACT-LEADERS-SHARE-EMAIL" Contact "block" false false "不同负责人使用同一邮箱" "Different leaders share an e-mail";
    CONTACT_EMERGENCY_COLLIDES "CONTACT-EMERGENCY-COLLIDES" Contact "block" false false "应急电话与主体负责人联系方式重复" "Emergency phone collides with the subject leader";
    CONTACT_SITE_LEADER_MULTI_SUBJECT "CONTACT-SITE-LEADER-MULTI-SUBJECT" Contact "block" true false "网站负责人已在其他主体任职" "Site leader used by another subject";
    CONTACT_LEGALREP_INCONSISTENT "CONTACT-LEGALREP-INCONSISTENT" Contact "block" true false "同一法定代表人联系方式不一致" "Legal representative's contacts differ across subjects";
    CONTACT_MOBILE_REUSED "CONTACT-MOBILE-REUSED" Contact "block" true false "手机号已被其他主体的他人使用" "Mobile used by another person of another subject";
    DOMAIN_WWW "DOMAIN-WWW" Domain "block" false false "域名带www前缀" "Domain entered with www.";
    DOMAIN_FORMAT "DOMAIN-FORMAT" Domain "block" false false "域名格式不正确" "Domain not a valid registrable name";
    DOMAIN_DUPLICATE "DOMAIN-DUPLICATE" Domain "block" false false "域名重复" "Domain listed twice";
    DOMAIN_HOLDER_MISMATCH "DOMAIN-HOLDER-MISMATCH" Domain "block/warn" false false "域名持有者与主体不一致" "Domain holder differs from the subject";
    DOMAIN_EXPIRES_SOON "DOMAIN-EXPIRES-SOON" Domain "block" false false "域名有效期不足三个月" "Domain expires within 3 months";
    DOMAIN_GOV_NO_FILING "DOMAIN-GOV-NO-FILING" Domain "warn" false false "gov.cn下级域名通常无需备案" "gov.cn sub-domain usually needs no filing";
    DOMAIN_TLD_NOT_APPROVED "DOMAIN-TLD-NOT-APPROVED" Domain "block" false false "域名后缀未获批准" "TLD not approved for filing";
    SITE_PREAPPROVAL_MISSING "SITE-PREAPPROVAL-MISSING" Site "block" false false "缺少前置审批" "Pre-approval missing";
    SITE_NAME_INDIVIDUAL "SITE-NAME-INDIVIDUAL" Site "block/warn" false false "个人网站名称含单位或经营字样" "Individual's site name sounds like a business";
    SITE_NAME_PERSON "SITE-NAME-PERSON" Site "block" false false "个人网站名称含本人姓名" "Individual's site name contains the person's name";
    SITE_NAME_FORMAT "SITE-NAME-FORMAT" Site "block" false false "网站名称格式不符" "Site name format";
    SITE_NAME_DOMAIN "SITE-NAME-DOMAIN" Site "block" false false "网站名称使用域名" "Site name is a domain";
    SITE_NAME_NATIONAL "SITE-NAME-NATIONAL" Site "block" false false "网站名称使用国家级字头" "Site name uses a national prefix";
    SITE_NAME_PUBLIC_AFFAIRS "SITE-NAME-PUBLIC-AFFAIRS" Site "block" false false "网站名称含公共事务字样" "Site name uses public-affairs words";
    SITE_NAME_SENSITIVE "SITE-NAME-SENSITIVE" Site "block" false false "网站名称含敏感词" "Site name has a sensitive word";
    SITE_NAME_PREAPPROVAL_WORD "SITE-NAME-PREAPPROVAL-WORD" Site "block/warn" false false "网站名称涉及前置审批类别" "Site name implies a pre-approval category";
    SITE_PREAPPROVAL_INDIVIDUAL "SITE-PREAPPROVAL-INDIVIDUAL" Site "block" false false "个人不能备案需前置审批的内容" "Individuals cannot hold pre-approvals";
    SITE_FINANCE_WORDS "SITE-FINANCE-WORDS" Site "block" false false "名称含金融字样且无金融审批" "Finance words without finance approval";
    SITE_IP_FORMAT "SITE-IP-FORMAT" Site "block" false false "IP地址不是有效公网地址" "IP not a valid public address";
    SITE_IP_NOT_PROVIDER "SITE-IP-NOT-PROVIDER" Site "block" false false "IP不属于本接入商" "IP outside the provider's ranges";
    SITE_LANGUAGES_MANY "SITE-LANGUAGES-MANY" Site "warn" false false "选择了多种网站语言" "Several site languages selected";
    APP_ICON_TOO_LARGE "APP-ICON-TOO-LARGE" App "block" false false "APP图标超过100KB" "App icon larger than 100 KB";
    APP_PLATFORM_NOT_RUNTIME "APP-PLATFORM-NOT-RUNTIME" App "block" false false "APP平台填写了应用市场" "App platform names a store";
    APP_PACKAGE_FORMAT "APP-PACKAGE-FORMAT" App "block" false false "APP包名格式不正确" "App package name invalid";
    APP_MD5_FORMAT "APP-MD5-FORMAT" App "block" false false "APP签名MD5格式不正确" "App MD5 fingerprint invalid";
    APP_PUBLIC_KEY_FORMAT "APP-PUBLIC-KEY-FORMAT" App "block" false false "APP公钥无效" "App public key invalid";
    ACCESS_PREPAID_SHORT "ACCESS-PREPAID-SHORT" Access "block" false false "备案资源包年包月不足3个月" "Resource prepaid for under 3 months";
    ACCESS_AUTHCODE_REUSED "ACCESS-AUTHCODE-REUSED" Access "block" true false "备案授权码被重复使用" "Authorisation code reused";
    ACCESS_AUTHCODE_LIMIT "ACCESS-AUTHCODE-LIMIT" Access "block" true false "同一服务器授权码超过5个" "More than 5 codes from one server";
    MAT_REQUIRED_MISSING "MAT-REQUIRED-MISSING" Material "block" false true "缺少必需资料" "Required material missing";
    MAT_FILE_MISSING "MAT-FILE-MISSING" Material "block" false false "资料文件缺失或无法读取" "Material file missing or unreadable";
    MAT_FORMAT "MAT-FORMAT" Material "block" false true "资料文件格式不符" "Material format not accepted";
    MAT_DIGEST_MISMATCH "MAT-DIGEST-MISMATCH" Material "block" false false "资料摘要不符" "Material digest mismatch";
    MAT_NOT_COLOUR "MAT-NOT-COLOUR" Material "block" false false "证件扫描件非彩色" "Id or certificate scan not in colour";
    MAT_RESOLUTION_LOW "MAT-RESOLUTION-LOW" Material "warn" false false "图片分辨率过低" "Image resolution low";
    MAT_AUTH_LETTER_MISSING "MAT-AUTH-LETTER-MISSING" Material "block" false true "缺少授权书" "Authorisation letter missing";
    MAT_PARTY_CERT_MISSING "MAT-PARTY-CERT-MISSING" Material "block" false true "缺少党建证明" "Party-building confirmation missing";
    MAT_VERIFY_PHOTO_BACKGROUND "MAT-VERIFY-PHOTO-BACKGROUND" Material "warn" false false "核验照背景非白色" "Verification photo background not white";
    TYPE_PERSONAL_CONTACT_CHANGE "TYPE-PERSONAL-CONTACT-CHANGE" FilingType "block" false false "个人变更联系方式须用变更备案" "Individual contact change needs a filing change";
    TYPE_UNIT_TO_PERSONAL "TYPE-UNIT-TO-PERSONAL" FilingType "block" false false "单位不能变更为个人" "Organisation cannot become an individual";
    TYPE_IN_PROGRESS "TYPE-IN-PROGRESS" FilingType "block" true false "已有进行中的备案订单" "Another order is under review";
    TYPE_SITE_COUNT "TYPE-SITE-COUNT" FilingType "block" false false "该备案类型须且只能包含一个网站" "Filing type needs exactly one site";
    TYPE_CHANGE_IMMUTABLE "TYPE-CHANGE-IMMUTABLE" FilingType "block" false false "变更备案不能修改省份或证件号" "Change may not alter province or certificate";
    TYPE_CANCEL_ACCESS_SHELL "TYPE-CANCEL-ACCESS-SHELL" FilingType "warn" false false "取消接入后可能成为空壳网站" "Cancelling access may leave an empty shell";
    PROV_LEADER_LEGALREP "PROV-LEADER-LEGALREP" Province "block" false true "主体负责人须为法定代表人" "Subject leader must be the legal representative";
    PROV_NONLEGAL_SAME_LEADER "PROV-NONLEGAL-SAME-LEADER" Province "block" false true "主体负责人非法人时网站负责人须为同一人" "Non-legal-rep subject leader must lead the sites";
    PROV_DOMAIN_HOLDER_LEGALREP "PROV-DOMAIN-HOLDER-LEGALREP" Province "block" false true "本省不接受法人持有域名" "Province refuses domains held by the legal rep";
    PROV_DOMAIN_CAP "PROV-DOMAIN-CAP" Province "block" false true "超过本省单次网站或域名数量" "More sites or domains than the province allows";
    PROV_LN_FINANCE_LEGALREP "PROV-LN-FINANCE-LEGALREP" Province "block" false false "辽宁金融类名称负责人须为法人" "Liaoning finance names need legal-rep leaders";
    PROV_LOCAL_MOBILE "PROV-LOCAL-MOBILE" Province "block/warn" false true "手机号非本省号码" "Mobile not registered in the province";
    PROV_HI_SEAL "PROV-HI-SEAL" Province "warn" false false "海南营业执照须有商事登记专用章" "Hainan licence must carry the registration seal";
    PROV_ONE_DOMAIN "PROV-ONE-DOMAIN" Province "block" false true "每个网站只能填写一个域名" "One domain per site in this province";
    PROV_ORG_TLD "PROV-ORG-TLD" Province "block" false true "本省不接受.org域名" "Province refuses .org domains";
    // Version 2: new rules.
    ID_LEGACY_CERTNO "ID-LEGACY-CERTNO" Identity "block/warn" false false "旧版证件号码" "Legacy certificate number";
    LEAD_PERSONAL_SELF "LEAD-PERSONAL-SELF" Identity "block" false false "个人备案负责人须为本人" "An individual's services are led by the individual";
    LEAD_SUBJ_REUSE_HA "LEAD-SUBJ-REUSE-HA" Identity "block" true false "河南：主体负责人已在其他主体备案" "Henan: subject leader already leads another subject";
    CONTACT_EMAIL_REUSED "CONTACT-EMAIL-REUSED" Contact "block/warn" true false "电子邮箱已被其他主体的他人使用" "E-mail used by another person of another subject";
    CONTACT_OFFICE_PHONE "CONTACT-OFFICE-PHONE" Contact "block/warn" false false "办公电话不符合本省要求" "Office phone does not meet the province's rule";
    SUBJ_ADDR_IN_REGION "SUBJ-ADDR-IN-REGION" Identity "block" false false "通信地址不在所选备案地区" "Address outside the selected region";
    SUBJ_ADDR_SAME_CITY "SUBJ-ADDR-SAME-CITY" Identity "block" false false "通信地址与证件住所不在同一地市" "Address and certificate address in different cities";
    FILING_NUMBER_FORMAT "FILING-NUMBER-FORMAT" FilingType "block/warn" false false "备案号格式不正确" "Filing number malformed";
    DOMAIN_GOV_SUFFIX "DOMAIN-GOV-SUFFIX" Domain "warn" false false "事业单位或党政机关域名后缀不符" "Public-sector domain suffix";
    SITE_PREAPPROVAL_ENTRY "SITE-PREAPPROVAL-ENTRY" Site "block" false false "前置审批填写不正确" "Pre-approval entry malformed";
    ORDER_INCOMPLETE "ORDER-INCOMPLETE" FilingType "block" false false "订单缺少该备案类型所需内容" "Order lacks what its filing type needs";
}

/// The catalogue entry of a rule id.
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    CATALOGUE.iter().find(|m| m.id == id)
}
