//! Who is reviewing, and how: the reviewer's name, whether this session may decide, and
//! whom it follows (pairing).

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    reviewer: String,
    read_only: bool,
    follow: Option<String>,
}

impl Session {
    pub fn new(reviewer: &str) -> Session {
        Session {
            reviewer: reviewer.to_string(),
            read_only: false,
            follow: None,
        }
    }

    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    /// A read-only session (a follower, a viewer) cannot decide.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn set_read_only(&mut self, on: bool) {
        self.read_only = on;
    }

    pub fn follow(&self) -> Option<&str> {
        self.follow.as_deref()
    }

    pub fn set_follow(&mut self, who: Option<String>) {
        self.follow = who;
    }
}
