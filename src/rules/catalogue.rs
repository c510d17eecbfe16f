//! The rule catalogue (rules.md, version 1): stable ids, families and short titles.

use serde::Serialize;

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
}

macro_rules! rules {
    ($($id:literal $fam:ident $sev:literal $x:literal $zh:literal $en:literal;)+) => {
        /// Every rule, in catalogue order.
        pub static CATALOGUE: &[RuleMeta] = &[
            $(RuleMeta { id: $id, family: Family::$fam, severity: $sev, cross_order: $x, title_zh: $zh, title_en: $en },)+
        ];
    };
}

rules! {
    "ID-RESIDENT-CHECKSUM" Identity "block" false "身份证号码无效" "Resident id number invalid";
    "ID-USCC-CHECKSUM" Identity "block" false "统一社会信用代码校验不通过" "Credit code fails its check";
    "ID-CERT-NATURE-MISMATCH" Identity "block" false "证件类型与单位性质不符" "Certificate type does not fit the nature";
    "NAME-HALFWIDTH-BRACKETS" Identity "block" false "名称使用了半角括号" "Half-width brackets in the name";
    "NAME-INDIVIDUAL-MISMATCH" Identity "block" false "个人主体名称与负责人不一致" "Individual's name differs from the leader";
    "NAME-NOT-EXACT" Identity "block" false "主体名称不规范" "Subject name not exact";
    "NAME-NATURE-MISMATCH" Identity "block" false "名称与单位性质不符" "Name does not fit the nature";
    "ID-USCC-NATURE" Identity "block" false "信用代码类别与单位性质不符" "Credit code category does not fit the nature";
    "ID-ORG-CROSS-PROVINCE" Identity "warn" false "单位登记地与备案省份不同" "Organisation registered in another province";
    "ID-PERSON-CROSS-PROVINCE" Identity "block/warn" false "个人跨省备案" "Individual filing outside home province";
    "ID-AGE-MINIMUM" Identity "block" false "负责人未达最低年龄" "Leader below the minimum age";
    "ID-EXPIRES-SOON" Identity "block" false "证件有效期不足三个月" "Id document expires within 3 months";
    "CONTACT-MOBILE-FORMAT" Contact "block" false "手机号码格式不正确" "Mobile number invalid";
    "CONTACT-EMAIL-FORMAT" Contact "block" false "电子邮箱格式不正确" "E-mail address invalid";
    "CONTACT-EMERGENCY-SAME" Contact "block" false "应急电话与手机号相同" "Emergency phone equals the mobile";
    "CONTACT-LEADERS-SHARE-MOBILE" Contact "block" false "不同负责人使用同一手机号" "Different leaders share a mobile";
    "CONTACT-LEADERS-SHARE-EMAIL" Contact "block" false "不同负责人使用同一邮箱" "Different leaders share an e-mail";
    "CONTACT-EMERGENCY-COLLIDES" Contact "block" false "应急电话与主体负责人联系方式重复" "Emergency phone collides with the subject leader";
    "CONTACT-SITE-LEADER-MULTI-SUBJECT" Contact "block" true "网站负责人已在其他主体任职" "Site leader used by another subject";
    "CONTACT-LEGALREP-INCONSISTENT" Contact "block" true "同一法定代表人联系方式不一致" "Legal representative's contacts differ across subjects";
    "CONTACT-MOBILE-REUSED" Contact "block" true "手机号已被其他主体的他人使用" "Mobile used by another person of another subject";
    "DOMAIN-WWW" Domain "block" false "域名带www前缀" "Domain entered with www.";
    "DOMAIN-FORMAT" Domain "block" false "域名格式不正确" "Domain not a valid registrable name";
    "DOMAIN-DUPLICATE" Domain "block" false "域名重复" "Domain listed twice";
    "DOMAIN-HOLDER-MISMATCH" Domain "block" false "域名持有者与主体不一致" "Domain holder differs from the subject";
    "DOMAIN-EXPIRES-SOON" Domain "block" false "域名有效期不足三个月" "Domain expires within 3 months";
    "DOMAIN-GOV-NO-FILING" Domain "warn" false "gov.cn下级域名通常无需备案" "gov.cn sub-domain usually needs no filing";
    "DOMAIN-TLD-NOT-APPROVED" Domain "block" false "域名后缀未获批准" "TLD not approved for filing";
    "SITE-PREAPPROVAL-MISSING" Site "block" false "缺少前置审批" "Pre-approval missing";
    "SITE-NAME-INDIVIDUAL" Site "block/warn" false "个人网站名称含单位或经营字样" "Individual's site name sounds like a business";
    "SITE-NAME-PERSON" Site "block" false "个人网站名称含本人姓名" "Individual's site name contains the person's name";
    "SITE-NAME-FORMAT" Site "block" false "网站名称格式不符" "Site name format";
    "SITE-NAME-DOMAIN" Site "block" false "网站名称使用域名" "Site name is a domain";
    "SITE-NAME-NATIONAL" Site "block" false "网站名称使用国家级字头" "Site name uses a national prefix";
    "SITE-NAME-PUBLIC-AFFAIRS" Site "block" false "网站名称含公共事务字样" "Site name uses public-affairs words";
    "SITE-NAME-SENSITIVE" Site "block" false "网站名称含敏感词" "Site name has a sensitive word";
    "SITE-NAME-PREAPPROVAL-WORD" Site "block/warn" false "网站名称涉及前置审批类别" "Site name implies a pre-approval category";
    "SITE-PREAPPROVAL-INDIVIDUAL" Site "block" false "个人不能备案需前置审批的内容" "Individuals cannot hold pre-approvals";
    "SITE-FINANCE-WORDS" Site "block" false "名称含金融字样且无金融审批" "Finance words without finance approval";
    "SITE-IP-FORMAT" Site "block" false "IP地址不是有效公网地址" "IP not a valid public address";
    "SITE-IP-NOT-PROVIDER" Site "block" false "IP不属于本接入商" "IP outside the provider's ranges";
    "SITE-LANGUAGES-MANY" Site "warn" false "选择了多种网站语言" "Several site languages selected";
    "APP-ICON-TOO-LARGE" App "block" false "APP图标超过100KB" "App icon larger than 100 KB";
    "APP-PLATFORM-NOT-RUNTIME" App "block" false "APP平台填写了应用市场" "App platform names a store";
    "APP-PACKAGE-FORMAT" App "block" false "APP包名格式不正确" "App package name invalid";
    "APP-MD5-FORMAT" App "block" false "APP签名MD5格式不正确" "App MD5 fingerprint invalid";
    "APP-PUBLIC-KEY-FORMAT" App "block" false "APP公钥无效" "App public key invalid";
    "ACCESS-PREPAID-SHORT" Access "block" false "备案资源包年包月不足3个月" "Resource prepaid for under 3 months";
    "ACCESS-AUTHCODE-REUSED" Access "block" true "备案授权码被重复使用" "Authorisation code reused";
    "ACCESS-AUTHCODE-LIMIT" Access "block" true "同一服务器授权码超过5个" "More than 5 codes from one server";
    "MAT-REQUIRED-MISSING" Material "block" false "缺少必需资料" "Required material missing";
    "MAT-FILE-MISSING" Material "block" false "资料文件缺失或无法读取" "Material file missing or unreadable";
    "MAT-FORMAT" Material "block" false "资料文件格式不符" "Material format not accepted";
    "MAT-DIGEST-MISMATCH" Material "block" false "资料摘要不符" "Material digest mismatch";
    "MAT-NOT-COLOUR" Material "block" false "证件扫描件非彩色" "Id or certificate scan not in colour";
    "MAT-RESOLUTION-LOW" Material "warn" false "图片分辨率过低" "Image resolution low";
    "MAT-AUTH-LETTER-MISSING" Material "block" false "缺少授权书" "Authorisation letter missing";
    "MAT-PARTY-CERT-MISSING" Material "block" false "缺少党建证明" "Party-building confirmation missing";
    "MAT-VERIFY-PHOTO-BACKGROUND" Material "warn" false "核验照背景非白色" "Verification photo background not white";
    "TYPE-PERSONAL-CONTACT-CHANGE" FilingType "block" false "个人变更联系方式须用变更备案" "Individual contact change needs change_filing";
    "TYPE-UNIT-TO-PERSONAL" FilingType "block" false "单位不能变更为个人" "Organisation cannot become an individual";
    "TYPE-IN-PROGRESS" FilingType "block" true "已有进行中的备案订单" "Another order is under review";
    "TYPE-SITE-COUNT" FilingType "block" false "该备案类型须且只能包含一个网站" "Filing type needs exactly one site";
    "TYPE-CHANGE-IMMUTABLE" FilingType "block" false "变更备案不能修改省份或证件号" "Change may not alter province or certificate";
    "TYPE-CANCEL-ACCESS-SHELL" FilingType "warn" false "取消接入后可能成为空壳网站" "Cancelling access may leave an empty shell";
    "PROV-LEADER-LEGALREP" Province "block" false "主体负责人须为法定代表人" "Subject leader must be the legal representative";
    "PROV-NONLEGAL-SAME-LEADER" Province "block" false "主体负责人非法人时网站负责人须为同一人" "Non-legal-rep subject leader must lead the sites";
    "PROV-DOMAIN-HOLDER-LEGALREP" Province "block" false "本省不接受法人持有域名" "Province refuses domains held by the legal rep";
    "PROV-DOMAIN-CAP" Province "block" false "超过本省单次网站或域名数量" "More sites or domains than the province allows";
    "PROV-LN-FINANCE-LEGALREP" Province "block" false "辽宁金融类名称负责人须为法人" "Liaoning finance names need legal-rep leaders";
    "PROV-LOCAL-MOBILE" Province "block/warn" false "手机号非本省号码" "Mobile not registered in the province";
    "PROV-HI-SEAL" Province "warn" false "海南营业执照须有商事登记专用章" "Hainan licence must carry the registration seal";
    "PROV-ONE-DOMAIN" Province "block" false "每个网站只能填写一个域名" "One domain per site in this province";
    "PROV-ORG-TLD" Province "block" false "本省不接受.org域名" "Province refuses .org domains";
}

/// The catalogue entry of a rule id.
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    CATALOGUE.iter().find(|m| m.id == id)
}
