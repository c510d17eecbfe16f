use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The only order format version this build understands.
pub const FORMAT: &str = "icp-order/1";

/// An ICP filing order as the filing system hands it to the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub format: String,
    pub id: String,
    pub filing_type: FilingType,
    pub status: Status,
    pub submitted_at: Timestamp,
    pub account: String,
    pub subject: Subject,
    #[serde(default)]
    pub sites: Vec<Site>,
    #[serde(default)]
    pub materials: Vec<Material>,
    #[serde(default)]
    pub history: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Box<Order>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $wire:literal / $zh:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }
        impl $name {
            /// Every value, in catalogue order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The value as written in the wire format.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
            /// The Chinese label reviewers know.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            /// The Chinese label, or the wire value for English screens.
            pub fn label(self, english: bool) -> &'static str {
                if english { self.as_str() } else { self.zh() }
            }
            /// Parse the wire value.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// 备案类型.
    FilingType {
        NewFiling = "new_filing" / "首次备案",
        NewAccess = "new_access" / "新增接入",
        NewSite = "new_site" / "新增网站",
        ChangeSubject = "change_subject" / "变更主体",
        ChangeSite = "change_site" / "变更网站",
        ChangeFiling = "change_filing" / "变更备案",
        CancelAccess = "cancel_access" / "取消接入",
        CancelSubject = "cancel_subject" / "注销主体",
        CancelSite = "cancel_site" / "注销网站",
        Claim = "claim" / "认领备案",
    }
);

impl FilingType {
    /// Cancellations do not re-validate the data of the sites they remove.
    pub fn is_cancel(self) -> bool {
        matches!(
            self,
            Self::CancelAccess | Self::CancelSubject | Self::CancelSite
        )
    }
    /// Change orders (with `previous`, the before-state).
    pub fn is_change(self) -> bool {
        matches!(
            self,
            Self::ChangeSubject | Self::ChangeSite | Self::ChangeFiling
        )
    }
    /// Orders that add or change a site (they carry site data to verify).
    pub fn adds_or_changes_site(self) -> bool {
        matches!(
            self,
            Self::NewFiling
                | Self::NewAccess
                | Self::NewSite
                | Self::ChangeSite
                | Self::ChangeFiling
        )
    }
}

wire_enum!(
    /// Where an order is in review.
    Status {
        Pending = "pending" / "待初审",
        Resubmitted = "resubmitted" / "已修改待审核",
        AwaitingCall = "awaiting_call" / "待电话核实",
        Approved = "approved" / "初审通过",
        Rejected = "rejected" / "初审驳回",
        BureauRejected = "bureau_rejected" / "管局驳回",
        Completed = "completed" / "备案成功",
        Withdrawn = "withdrawn" / "已撤销",
        Abandoned = "abandoned" / "已放弃",
    }
);

impl Status {
    /// Still being reviewed by the provider or the bureau.
    pub fn in_review(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Resubmitted | Self::AwaitingCall | Self::Approved
        )
    }
    /// Waiting for a reviewer's first-review decision.
    pub fn awaits_reviewer(self) -> bool {
        matches!(self, Self::Pending | Self::Resubmitted | Self::AwaitingCall)
    }
    /// Withdrawn and abandoned orders no longer hold resources (codes, people, domains).
    pub fn is_dropped(self) -> bool {
        matches!(self, Self::Withdrawn | Self::Abandoned)
    }
}

wire_enum!(
    /// 主办单位性质.
    Nature {
        Enterprise = "enterprise" / "企业",
        Individual = "individual" / "个人",
        PublicInstitution = "public_institution" / "事业单位",
        Government = "government" / "政府机关",
        SocialGroup = "social_group" / "社会团体",
        PrivateNonEnterprise = "private_non_enterprise" / "民办非企业单位",
        Foundation = "foundation" / "基金会",
        Other = "other" / "其他",
    }
);

impl Nature {
    pub fn is_organisation(self) -> bool {
        self != Self::Individual
    }
}

wire_enum!(
    /// Certificate (证件) types, for subjects and persons.
    CertType {
        BusinessLicence = "business_licence" / "营业执照",
        OrganizationCode = "organization_code" / "组织机构代码证",
        PublicInstitutionCert = "public_institution_cert" / "事业单位法人证书",
        SocialGroupCert = "social_group_cert" / "社会团体法人登记证书",
        PrivateNonEnterpriseCert = "private_non_enterprise_cert" / "民办非企业单位登记证书",
        ResidentId = "resident_id" / "居民身份证",
        Passport = "passport" / "护照",
        HkMacaoPermit = "hk_macao_permit" / "港澳居民来往内地通行证",
        TaiwanPermit = "taiwan_permit" / "台湾居民来往大陆通行证",
        ForeignPermanentResidence = "foreign_permanent_residence" / "外国人永久居留身份证",
        Other = "other" / "其他",
    }
);

impl CertType {
    /// Documents that identify a natural person.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Self::ResidentId
                | Self::Passport
                | Self::HkMacaoPermit
                | Self::TaiwanPermit
                | Self::ForeignPermanentResidence
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    #[serde(rename = "type")]
    pub kind: CertType,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub province: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
}

/// 主体 / 主办单位.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    pub nature: Nature,
    pub certificate: Certificate,
    pub region: Region,
    #[serde(default)]
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icp_number: Option<String>,
    pub leader: Person,
}

/// A 负责人 (subject leader or site leader).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub id_type: CertType,
    pub id_number: String,
    pub mobile: String,
    pub emergency_phone: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_valid_to: Option<IdValidTo>,
    pub is_legal_representative: bool,
}

/// 证件有效期: a date or `"long_term"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdValidTo {
    LongTerm,
    Date(Date),
}

impl Serialize for IdValidTo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IdValidTo::LongTerm => s.serialize_str("long_term"),
            IdValidTo::Date(d) => s.collect_str(d),
        }
    }
}

impl<'de> Deserialize<'de> for IdValidTo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "long_term" {
            return Ok(IdValidTo::LongTerm);
        }
        s.parse::<Date>().map(IdValidTo::Date).map_err(|_| {
            serde::de::Error::custom(format!(
                "expected a date YYYY-MM-DD or \"long_term\", found {s:?}"
            ))
        })
    }
}

wire_enum!(
    /// Site kind.
    SiteKind {
        Website = "website" / "网站",
        App = "app" / "APP",
    }
);

wire_enum!(
    /// 服务类型.
    ServiceType {
        Website = "website" / "网站应用服务",
        Mail = "mail" / "邮件",
        File = "file" / "文件",
        Data = "data" / "数据",
        App = "app" / "APP应用服务",
        Wechat = "wechat" / "微信号应用服务",
    }
);

wire_enum!(
    /// Content that may need pre-approval (前置审批).
    ContentCategory {
        News = "news" / "新闻",
        Publishing = "publishing" / "出版",
        Medical = "medical" / "药品和医疗器械",
        Culture = "culture" / "文化",
        Broadcasting = "broadcasting" / "广播电影电视节目",
        OnlineGame = "online_game" / "网络游戏",
        Education = "education" / "教育",
        Finance = "finance" / "金融",
        Religion = "religion" / "宗教",
        None = "none" / "以上都不涉及",
    }
);

/// 网站 or APP of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub kind: SiteKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icp_number: Option<String>,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub ips: Vec<String>,
    #[serde(default)]
    pub service_types: Vec<ServiceType>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub content_categories: Vec<ContentCategory>,
    #[serde(default)]
    pub pre_approvals: Vec<PreApproval>,
    pub leader: Person,
    pub access: Access,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    #[serde(default)]
    pub holder: String,
    pub expires_on: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreApproval {
    pub category: ContentCategory,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub material: String,
}

wire_enum!(
    /// How the filing uses the provider's resource.
    AccessMethod {
        Ecs = "ecs" / "云服务器",
        AuthCode = "auth_code" / "备案授权码",
        SiteBuilder = "site_builder" / "建站产品",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Access {
    pub method: AccessMethod,
    #[serde(default)]
    pub resource_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_code: Option<String>,
    pub prepaid_months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct App {
    #[serde(default)]
    pub platforms: Vec<AppPlatform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_material: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppPlatform {
    pub platform: String,
    #[serde(default)]
    pub package: String,
    #[serde(default)]
    pub public_key: String,
    #[serde(default)]
    pub md5: String,
}

wire_enum!(
    /// 上传资料 kinds.
    MaterialKind {
        BusinessLicence = "business_licence" / "主体证件",
        SubjectLeaderIdFront = "subject_leader_id_front" / "主体负责人证件正面",
        SubjectLeaderIdBack = "subject_leader_id_back" / "主体负责人证件反面",
        SiteLeaderIdFront = "site_leader_id_front" / "网站负责人证件正面",
        SiteLeaderIdBack = "site_leader_id_back" / "网站负责人证件反面",
        DomainCertificate = "domain_certificate" / "域名证书",
        DomainRealnameScreenshot = "domain_realname_screenshot" / "域名实名认证截图",
        AuthorizationLetter = "authorization_letter" / "授权书",
        PartyBuildingCert = "party_building_cert" / "党建证明",
        PreApproval = "pre_approval" / "前置审批文件",
        VerificationPhoto = "verification_photo" / "真实性核验照",
        CommitmentLetter = "commitment_letter" / "真实性承诺书",
        ResidencePermit = "residence_permit" / "居住证",
        AppIcon = "app_icon" / "APP图标",
        Other = "other" / "其他",
    }
);

impl MaterialKind {
    /// Scans of identity documents and certificates, which must be in colour.
    pub fn is_id_or_certificate_scan(self) -> bool {
        matches!(
            self,
            Self::BusinessLicence
                | Self::SubjectLeaderIdFront
                | Self::SubjectLeaderIdBack
                | Self::SiteLeaderIdFront
                | Self::SiteLeaderIdBack
                | Self::ResidencePermit
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub id: String,
    pub kind: MaterialKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<usize>,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

wire_enum!(
    /// History event kinds.
    EventKind {
        Submitted = "submitted" / "提交",
        Resubmitted = "resubmitted" / "重新提交",
        Approved = "approved" / "初审通过",
        Rejected = "rejected" / "初审驳回",
        BureauRejected = "bureau_rejected" / "管局驳回",
        CallScheduled = "call_scheduled" / "预约核实电话",
        CallDone = "call_done" / "电话核实完成",
        Withdrawn = "withdrawn" / "撤销",
        Abandoned = "abandoned" / "放弃",
        Note = "note" / "备注",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    #[serde(default)]
    pub text: String,
}

wire_enum!(
    /// Outcome of a verification call.
    CallOutcome {
        Verified = "verified" / "核实通过",
        NoAnswer = "no_answer" / "无人接听",
        NeedsCorrection = "needs_correction" / "需修改",
        Refused = "refused" / "拒绝核实",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub at: Timestamp,
    /// `subject_leader`, `site_leader:<i>` or `emergency:<i>`.
    pub who: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CallOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    /// `applicant`, `reviewer:<id>`, `bureau` or `system`.
    pub actor: String,
    pub event: EventKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
}

/// Which leader of an order; displays as its JSON path (`subject.leader`, `sites[1].leader`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    SubjectLeader,
    SiteLeader(usize),
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::SubjectLeader => f.write_str("subject.leader"),
            Who::SiteLeader(i) => write!(f, "sites[{i}].leader"),
        }
    }
}

impl Order {
    /// Every person of the order with the JSON path of its object.
    pub fn people(&self) -> impl Iterator<Item = (Who, &Person)> {
        std::iter::once((Who::SubjectLeader, &self.subject.leader)).chain(
            self.sites
                .iter()
                .enumerate()
                .map(|(i, s)| (Who::SiteLeader(i), &s.leader)),
        )
    }

    /// The person marked as legal representative, if any leader is.
    pub fn legal_representative(&self) -> Option<&Person> {
        std::iter::once(&self.subject.leader)
            .chain(self.sites.iter().map(|s| &s.leader))
            .find(|p| p.is_legal_representative)
    }

    /// Materials of a kind that belong to site `i` (or to no site in particular).
    pub fn materials_for_site(
        &self,
        kind: MaterialKind,
        site: usize,
    ) -> impl Iterator<Item = &Material> {
        self.materials
            .iter()
            .filter(move |m| m.kind == kind && m.site.is_none_or(|s| s == site))
    }

    pub fn has_material(&self, kind: MaterialKind) -> bool {
        self.materials.iter().any(|m| m.kind == kind)
    }

    /// The material with this id.
    pub fn material(&self, id: &str) -> Option<(usize, &Material)> {
        self.materials.iter().enumerate().find(|(_, m)| m.id == id)
    }

    /// The submission date in Asia/Shanghai (the reference "today" of every rule).
    pub fn reference_date(&self) -> Date {
        self.submitted_at
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .date()
    }
}
