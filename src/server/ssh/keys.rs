//! Keys of the SSH front end: the server's own host key (made once, kept private, reused
//! across restarts) and the reviewers' public keys (an authorized_keys-style file named in
//! the config, and keys added with `icp-review token add NAME --ssh-key FILE.pub`).

use crate::queue::{Actor, Role};
use russh::keys::ssh_key::{self, HashAlg, LineEnding, PublicKey};
use russh::keys::{Algorithm, PrivateKey};
use std::path::Path;

/// The host key at `path`: read when it exists, else made (Ed25519) and written with
/// mode 0600. A key file others may read is refused, as OpenSSH refuses it.
pub fn host_key(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path)
                    .map_err(|e| format!("host key {shown}: {e}"))?
                    .permissions()
                    .mode();
                if mode & 0o077 != 0 {
                    return Err(format!(
                        "host key {shown}: others may read it (mode {:o}); `chmod 600` it",
                        mode & 0o777
                    ));
                }
            }
            PrivateKey::from_openssh(text.trim())
                .map_err(|e| format!("host key {shown}: not an OpenSSH private key: {e}"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| format!("host key {shown}: cannot make one: {e}"))?;
            let text = key
                .to_openssh(LineEnding::LF)
                .map_err(|e| format!("host key {shown}: {e}"))?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("host key {shown}: {e}"))?;
            }
            write_private(path, text.as_bytes()).map_err(|e| format!("host key {shown}: {e}"))?;
            tracing::info!(path = %shown, fingerprint = %fingerprint(key.public_key()), "made a new SSH host key");
            Ok(key)
        }
        Err(e) => Err(format!("host key {shown}: {e}")),
    }
}

/// Create `path` readable by its owner only, and write `bytes`; never overwrite.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A key's SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// One public key as `token add --ssh-key` reads it: the first key line of the file.
/// Returns the key (without its comment) in authorized_keys form and its fingerprint.
pub fn read_public_key(path: &Path) -> Result<(String, String), String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| format!("{shown}: no public key in the file"))?;
    let key = PublicKey::from_openssh(line)
        .map_err(|e| format!("{shown}: not an OpenSSH public key ({e})"))?;
    let mut bare = key.clone();
    bare.set_comment("");
    let text = bare
        .to_openssh()
        .map_err(|e| format!("{shown}: {e}"))?
        .trim()
        .to_string();
    Ok((text, fingerprint(&key)))
}

/// A reviewer's key from the authorized-keys file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    pub actor: Actor,
}

/// The authorized-keys file: one key per line, `[role="lead"] TYPE BASE64 NAME`: the
/// comment is the reviewer's name, the option `role="lead"` makes a lead (any other
/// option is refused: this is not OpenSSH, and a `command=` would not be honoured).
/// Blank lines and `#` comments are skipped. Returns the entries and, for each line that
/// is not one, `file:line: why`.
pub fn parse_authorized(text: &str, file: &str) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(e) => entries.push(e),
            Err(why) => errors.push(format!("{file}:{}: {why}", n + 1)),
        }
    }
    (entries, errors)
}

fn parse_line(line: &str) -> Result<Entry, String> {
    let entry: ssh_key::authorized_keys::Entry = line
        .parse()
        .map_err(|e| format!("not an authorized_keys line ({e})"))?;
    let mut role = Role::Reviewer;
    for opt in entry.config_opts().iter() {
        match opt {
            "role=\"lead\"" | "role=lead" => role = Role::Lead,
            "role=\"reviewer\"" | "role=reviewer" => role = Role::Reviewer,
            other => {
                return Err(format!(
                    "option {:?} is not understood (only role=\"lead\" or role=\"reviewer\")",
                    crate::domain::safe::excerpt(other)
                ));
            }
        }
    }
    let name = entry.public_key().comment().as_str_lossy().trim();
    let valid =
        !name.is_empty() && name.chars().count() <= 64 && !name.chars().any(char::is_control);
    if !valid {
        return Err("the key's comment must be the reviewer's name (1 to 64 characters)".into());
    }
    Ok(Entry {
        fingerprint: fingerprint(entry.public_key()),
        actor: Actor {
            name: name.to_string(),
            role,
            follower: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(comment: &str) -> String {
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let mut p = key.public_key().clone();
        p.set_comment(comment);
        p.to_openssh().unwrap()
    }

    #[test]
    fn the_file_gives_names_roles_and_says_which_lines_are_wrong() {
        let (a, b, c) = (public("王芳"), public("李明"), public(""));
        let text =
            format!("# the desk\n{a}\n\nrole=\"lead\" {b}\n{c}\ncommand=\"sh\" {a}\nnot a key\n");
        let (entries, errors) = parse_authorized(&text, "keys");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].actor, Actor::reviewer("王芳"));
        assert_eq!(entries[1].actor, Actor::lead("李明"));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("keys:5: "), "{errors:?}");
        assert!(errors[1].starts_with("keys:6: option"), "{errors:?}");
        assert!(errors[2].starts_with("keys:7: "), "{errors:?}");
    }

    #[test]
    fn a_host_key_is_made_once_private_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/host_ed25519");
        let first = host_key(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = host_key(&path).unwrap();
        assert_eq!(
            fingerprint(first.public_key()),
            fingerprint(again.public_key())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = host_key(&path).unwrap_err();
            assert!(e.contains("chmod 600"), "{e}");
        }
    }

    #[test]
    fn a_public_key_file_is_read_without_its_comment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.pub");
        let line = public("someone@laptop");
        std::fs::write(&path, format!("{line}\n")).unwrap();
        let (text, fp) = read_public_key(&path).unwrap();
        assert!(text.starts_with("ssh-ed25519 "), "{text}");
        assert!(!text.contains("laptop"));
        assert!(fp.starts_with("SHA256:"));
        std::fs::write(&path, "hello\n").unwrap();
        assert!(
            read_public_key(&path)
                .unwrap_err()
                .contains("not an OpenSSH public key")
        );
    }
}
