//! Identity numbers, phones and e-mail addresses: checks and masking.

use super::order::Person;
use jiff::civil::Date;

/// A phone number in the one normalised form every check and comparison uses
/// (rules.md v2, CONTACT-MOBILE-FORMAT; domain-research.md §4.4): spaces and hyphens
/// between digit groups removed, then a leading `+86` or `0086` country code removed,
/// and a bare leading `86` when what follows is an 11-digit mobile. A landline written
/// with the country code gets its trunk `0` back (`+86 10 …` is `010…`).
pub fn phone_key(s: &str) -> String {
    let compact: String = s
        .trim()
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '\t' | '\u{3000}' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{FF0D}'
            )
        })
        .collect();
    let is_mobile =
        |d: &str| d.len() == 11 && d.starts_with('1') && d.bytes().all(|b| b.is_ascii_digit());
    let national = if let Some(rest) = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
    {
        rest
    } else if let Some(rest) = compact.strip_prefix("86").filter(|r| is_mobile(r)) {
        rest
    } else {
        return compact;
    };
    if is_mobile(national)
        || national.starts_with('0')
        || national.starts_with("400")
        || national.starts_with("800")
        || national.is_empty()
        || !national.bytes().all(|b| b.is_ascii_digit())
    {
        national.to_string()
    } else {
        format!("0{national}")
    }
}

/// A mainland mobile: after normalisation ([`phone_key`]), 11 digits starting with 1[3-9].
pub fn is_mainland_mobile(s: &str) -> bool {
    let k = phone_key(s);
    let b = k.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// The 11 national digits of a valid mainland mobile.
pub fn mobile_digits(s: &str) -> Option<String> {
    let k = phone_key(s);
    is_mainland_mobile(&k).then_some(k)
}

/// A mainland landline: `0` + area code (010 and 02x have three digits, the others
/// four) + a 7–8 digit number, with an optional extension of 1–6 digits after `-`,
/// `#`, `转` or `ext`. Spaces, hyphens and the country code are read as [`phone_key`] does.
pub fn is_landline(s: &str) -> bool {
    fn main_number(s: &str) -> bool {
        let k = phone_key(s);
        let b = k.as_bytes();
        if b.len() < 3 || b[0] != b'0' || !b.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let area = if matches!(b[1], b'1' | b'2') { 3 } else { 4 };
        (7..=8).contains(&(b.len().saturating_sub(area)))
    }
    let ext_ok = |e: &str| (1..=6).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_digit());
    let t = s.trim();
    for sep in ["#", "转", "ext", "-"] {
        if let Some((main, ext)) = t.rsplit_once(sep)
            && ext_ok(ext.trim())
            && main_number(main)
        {
            return true;
        }
    }
    main_number(t)
}

/// A 400 or 800 service number (normalised form).
pub fn is_service_number(s: &str) -> bool {
    let k = phone_key(s);
    (k.starts_with("400") || k.starts_with("800"))
        && k.len() == 10
        && k.bytes().all(|b| b.is_ascii_digit())
}

/// Practical e-mail check: `local@domain.tld`, ASCII local part, domain labels
/// (IDN domains checked in punycode form), an alphabetic TLD of 2+ letters.
pub fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
    {
        return false;
    }
    let Ok(ascii) = idna::domain_to_ascii(domain) else {
        return false;
    };
    if ascii.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    labels.iter().all(|l| is_ldh_label(l))
        && tld.len() >= 2
        && (tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.starts_with("xn--"))
}

/// A DNS label of letters, digits and inner hyphens, 1–63 bytes.
pub fn is_ldh_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Compare two leaders as the rules do: by id number when both have one, else by name.
pub fn same_person(a: &Person, b: &Person) -> bool {
    let (ia, ib) = (id_key(&a.id_number), id_key(&b.id_number));
    if !ia.is_empty() && !ib.is_empty() {
        ia == ib
    } else {
        a.name.trim() == b.name.trim()
    }
}

/// An id number for comparisons: trimmed, upper-case.
pub fn id_key(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// What is wrong with a resident id number (GB 11643).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentIdError {
    Length,
    Characters,
    BirthDate,
    CheckCharacter,
}

/// A structurally valid 18-character resident id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidentId {
    /// First two digits of the address code (the province).
    pub province_code: u8,
    pub birth: Date,
}

const RIC_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RIC_CHECK: &[u8; 11] = b"10X98765432";

/// Check an 18-character resident id: shape, a real birth date not after
/// `reference`, and the ISO 7064 MOD 11-2 check character. A lower-case `x` is read as `X`.
pub fn parse_resident_id(s: &str, reference: Date) -> Result<ResidentId, ResidentIdError> {
    let b = s.trim().as_bytes();
    if b.len() != 18 {
        return Err(ResidentIdError::Length);
    }
    if !b[..17].iter().all(u8::is_ascii_digit)
        || !(b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
    {
        return Err(ResidentIdError::Characters);
    }
    let num = |r: std::ops::Range<usize>| -> i32 {
        b[r].iter()
            .fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'))
    };
    let (y, m, d) = (num(6..10), num(10..12), num(12..14));
    let birth = (1900..=9999)
        .contains(&y)
        .then(|| Date::new(y as i16, m as i8, d as i8).ok())
        .flatten()
        .filter(|date| *date <= reference)
        .ok_or(ResidentIdError::BirthDate)?;
    // The first 17 bytes are ASCII digits (checked above), so the slice is a valid body.
    let expected = resident_id_check_char(&s.trim()[..17]).ok_or(ResidentIdError::Characters)?;
    if char::from(b[17].to_ascii_uppercase()) != expected {
        return Err(ResidentIdError::CheckCharacter);
    }
    Ok(ResidentId {
        province_code: (num(0..2)) as u8,
        birth,
    })
}

/// The check character a 17-digit resident id body needs (for generating test data).
pub fn resident_id_check_char(body17: &str) -> Option<char> {
    let b = body17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(RIC_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(RIC_CHECK[(sum % 11) as usize] as char)
}

/// Full years between `birth` and `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// What is wrong with a unified social credit code (GB 32100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccError {
    Length,
    Characters,
    CheckCharacter,
}

fn uscc_value(c: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Check an 18-character unified social credit code.
pub fn check_uscc(s: &str) -> Result<(), UsccError> {
    let b = s.trim().as_bytes();
    if b.len() != 18 {
        return Err(UsccError::Length);
    }
    if !b.iter().all(|c| uscc_value(*c).is_some()) {
        return Err(UsccError::Characters);
    }
    // Characters 3–8 are the administrative-division code: digits only.
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return Err(UsccError::Characters);
    }
    // Every byte is in the (ASCII) alphabet, so the slice is a valid body.
    let expected = uscc_check_char(&s.trim()[..17]).ok_or(UsccError::Characters)?;
    if char::from(b[17]) != expected {
        return Err(UsccError::CheckCharacter);
    }
    Ok(())
}

/// The check character a 17-character USCC body needs (for generating test data).
pub fn uscc_check_char(body17: &str) -> Option<char> {
    let b = body17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (i, &c) in b.iter().enumerate() {
        sum += uscc_value(c)? * USCC_WEIGHTS[i];
    }
    Some(USCC_ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

/// Mask an id number for display: keep the first 3 and last 2 characters.
pub fn mask_id(s: &str) -> String {
    mask_middle(s, 3, 2)
}

/// Mask a phone number for display: keep the first 3 and last 4 digits.
pub fn mask_phone(s: &str) -> String {
    mask_middle(s, 3, 4)
}

fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn resident_ids() {
        let today = date(2026, 11, 20);
        assert!(parse_resident_id("360426199101010071", today).is_ok());
        assert_eq!(
            parse_resident_id("230307196304054513", today),
            Err(ResidentIdError::CheckCharacter)
        );
        assert_eq!(
            parse_resident_id("440305198513122133", today),
            Err(ResidentIdError::BirthDate)
        );
        assert_eq!(
            parse_resident_id("44030519850612213", today),
            Err(ResidentIdError::Length)
        );
        let ok = parse_resident_id("440305198506122133", today).unwrap();
        assert_eq!(ok.province_code, 44);
        assert_eq!(age_on(ok.birth, today), 41);
    }

    #[test]
    fn uscc() {
        assert_eq!(check_uscc("91110108551385082Q"), Ok(()));
        assert_eq!(check_uscc("91440300MA5F8K2Q1M"), Ok(()));
        assert_eq!(
            check_uscc("91440300MA5F8K2Q10"),
            Err(UsccError::CheckCharacter)
        );
        assert_eq!(check_uscc("91440300MA5F8K2QIM"), Err(UsccError::Characters));
        assert_eq!(uscc_check_char("91440300MA5F8K2Q1"), Some('M'));
    }

    #[test]
    fn phones_and_mail() {
        assert!(is_mainland_mobile("13826541298"));
        assert!(is_mainland_mobile("+86 13826541298"));
        assert!(!is_mainland_mobile("12826541298"));
        assert!(!is_mainland_mobile("1382654129"));
        assert_eq!(phone_key("+86 138-2654-1298"), "13826541298");
        assert_eq!(phone_key("010-12345678"), "01012345678");
        assert!(is_valid_email("wanght@lingyun-tech.cn"));
        assert!(is_valid_email("a.b+c@例子.中国"));
        assert!(!is_valid_email("wanght@lingyun-tech"));
        assert!(!is_valid_email("wang ht@x.cn"));
        assert!(!is_valid_email("@x.cn"));
        assert_eq!(mask_phone("13826541298"), "138****1298");
        assert_eq!(mask_id("440305198506122133"), "440*************33");
    }
}
