//! Who is calling the queue: a name, a role, and whether the session only follows
//! someone else (and so may look but not act).

use super::{QueueError, Result};
use serde::{Deserialize, Serialize};

/// What a caller may do. Leads may also reopen, reassign and take over others' claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Reviewer,
    Lead,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "reviewer" => Some(Role::Reviewer),
            "lead" => Some(Role::Lead),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Lead => "lead",
        }
    }
}

/// The caller a queue client acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    /// A session in follow mode: it may read everything and claim or decide nothing.
    #[serde(default)]
    pub follower: bool,
}

impl Actor {
    pub fn reviewer(name: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            role: Role::Reviewer,
            follower: false,
        }
    }
    pub fn lead(name: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            role: Role::Lead,
            follower: false,
        }
    }
    /// Refuse `what` unless the caller is a lead.
    pub fn require_lead(&self, what: &str) -> Result<()> {
        if self.role == Role::Lead {
            Ok(())
        } else {
            Err(QueueError::Forbidden(format!(
                "{what} is for leads; {} is a reviewer",
                self.name
            )))
        }
    }
    /// Refuse `what` from a session that only follows someone.
    pub fn require_acting(&self, what: &str) -> Result<()> {
        if self.follower {
            Err(QueueError::Forbidden(format!(
                "{} is following another reviewer and cannot {what}",
                self.name
            )))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_pass_reviewers_are_refused() {
        assert!(Actor::lead("王芳").require_lead("reopen").is_ok());
        let e = Actor::reviewer("李明").require_lead("reopen").unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert!(e.to_string().contains("李明"));
    }

    #[test]
    fn followers_cannot_act() {
        let mut a = Actor::lead("王芳");
        assert!(a.require_acting("decide").is_ok());
        a.follower = true;
        assert_eq!(a.require_acting("decide").unwrap_err().code(), "forbidden");
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Reviewer, Role::Lead] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
