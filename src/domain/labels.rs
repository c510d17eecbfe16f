//! English names in words for the values English messages mention (the wire names,
//! `subject_leader_id_front`, are for machines; reviewers read "the subject leader's ID
//! card, front").

use super::order::{CertType, ContentCategory, FilingType, MaterialKind, Nature, SiteKind};

impl MaterialKind {
    /// What the material is, in English words.
    pub fn en(self) -> &'static str {
        match self {
            Self::BusinessLicence => "the subject's certificate (business licence)",
            Self::SubjectLeaderIdFront => "the subject leader's ID card, front",
            Self::SubjectLeaderIdBack => "the subject leader's ID card, back",
            Self::SiteLeaderIdFront => "the site leader's ID card, front",
            Self::SiteLeaderIdBack => "the site leader's ID card, back",
            Self::DomainCertificate => "the domain certificate",
            Self::DomainRealnameScreenshot => "the screenshot of the domain's real-name record",
            Self::AuthorizationLetter => "the authorisation letter",
            Self::PartyBuildingCert => "the party-building confirmation",
            Self::PreApproval => "the pre-approval document",
            Self::VerificationPhoto => "the verification photo",
            Self::CommitmentLetter => "the authenticity commitment letter",
            Self::ResidencePermit => "the residence permit",
            Self::AppIcon => "the app icon",
            Self::Other => "the other material",
        }
    }
}

impl ContentCategory {
    pub fn en(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Publishing => "publishing",
            Self::Medical => "drugs and medical devices",
            Self::Culture => "culture",
            Self::Broadcasting => "radio, film and television programmes",
            Self::OnlineGame => "online games",
            Self::Education => "education",
            Self::Finance => "finance",
            Self::Religion => "religion",
            Self::None => "no special category",
        }
    }
}

impl Nature {
    pub fn en(self) -> &'static str {
        match self {
            Self::Enterprise => "an enterprise",
            Self::Individual => "an individual",
            Self::PublicInstitution => "a public institution",
            Self::Government => "a government body",
            Self::SocialGroup => "a social group",
            Self::PrivateNonEnterprise => "a private non-enterprise unit",
            Self::Foundation => "a foundation",
            Self::Other => "another kind of organisation",
        }
    }
}

impl CertType {
    pub fn en(self) -> &'static str {
        match self {
            Self::BusinessLicence => "a business licence",
            Self::OrganizationCode => "an organisation code certificate",
            Self::PublicInstitutionCert => "a public institution legal person certificate",
            Self::SocialGroupCert => "a social group registration certificate",
            Self::PrivateNonEnterpriseCert => {
                "a private non-enterprise unit registration certificate"
            }
            Self::ResidentId => "a resident ID card",
            Self::Passport => "a passport",
            Self::HkMacaoPermit => "a Hong Kong and Macao travel permit",
            Self::TaiwanPermit => "a Taiwan travel permit",
            Self::ForeignPermanentResidence => "a foreign permanent residence ID card",
            Self::Other => "another document",
        }
    }
}

impl FilingType {
    pub fn en(self) -> &'static str {
        match self {
            Self::NewFiling => "first filing",
            Self::NewAccess => "new access",
            Self::NewSite => "new site",
            Self::ChangeSubject => "subject change",
            Self::ChangeSite => "site change",
            Self::ChangeFiling => "filing change",
            Self::CancelAccess => "access cancellation",
            Self::CancelSubject => "subject cancellation",
            Self::CancelSite => "site cancellation",
            Self::Claim => "filing claim",
        }
    }
}

impl SiteKind {
    pub fn en(self) -> &'static str {
        match self {
            Self::Website => "website",
            Self::App => "app",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No English label is a wire name.
    #[test]
    fn labels_are_words() {
        let wire: Vec<(&str, &str)> = MaterialKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.en()))
            .chain(ContentCategory::ALL.iter().map(|k| (k.as_str(), k.en())))
            .chain(CertType::ALL.iter().map(|k| (k.as_str(), k.en())))
            .chain(FilingType::ALL.iter().map(|k| (k.as_str(), k.en())))
            .chain(Nature::ALL.iter().map(|k| (k.as_str(), k.en())))
            .collect();
        for (w, en) in wire {
            assert!(!en.contains('_'), "{w}: {en}");
        }
    }
}
