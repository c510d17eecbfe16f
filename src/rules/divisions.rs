//! China's provinces and prefecture-level cities (`assets/rules/divisions.tsv`) and a
//! reader that finds which of them an address names at its start.
//!
//! An address is read the way it is written: an optional `中国`, a province, then a
//! prefecture (`广东省深圳市…`, `广东深圳…`, `深圳市…`). Only that leading part
//! counts: street names are often city names (`北京路`, `南京西路`, `中山大道`), and a
//! short form followed by a character that makes it part of another name (`朝阳区` in
//! Beijing, `南京路`) is not read as the city.

use super::data::DataError;
use super::text::norm;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    /// Prefecture-level cities, prefectures, autonomous prefectures and leagues.
    Prefecture,
    /// County-level units administered directly by a province (济源, 仙桃 …).
    Direct,
}

/// One division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// GB/T 2260 code, e.g. 440300.
    pub code: u32,
    pub level: Level,
    pub name: String,
    pub short: Vec<String>,
}

impl Division {
    /// GB/T 2260 two-digit province code.
    pub fn province_gb(&self) -> u8 {
        (self.code / 10_000) as u8
    }
}

/// The division table and its name lookup.
#[derive(Debug, Clone, Default)]
pub struct Divisions {
    all: Vec<Division>,
    /// Name or short form → (division, is a short form).
    names: HashMap<String, Vec<(usize, bool)>>,
    /// First character → (name or short form, division, is a short form), longest first:
    /// what can start at a position, matched without allocating.
    by_first: HashMap<char, Vec<(String, usize, bool)>>,
}

/// What the start of an address names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named<'a> {
    pub province: Option<&'a Division>,
    /// A prefecture or a province-administered county.
    pub city: Option<&'a Division>,
}

/// Characters after a short form that make it part of another name: county-level
/// units, streets, places and institutions.
const NOT_AFTER_SHORT: &[char] = &[
    '区', '县', '旗', '镇', '乡', '村', '路', '街', '道', '巷', '弄', '里', '胡', '桥', '站', '港',
    '湾', '大', '学', '广', '花', '公', '园', '苑', '城', '宾', '饭', '酒', '银', '医', '商', '厦',
    '楼', '号', '屯', '庄', '寨', '坊', '门', '口',
];

impl Divisions {
    pub(crate) fn parse(text: &str, file: &str) -> Result<Self, DataError> {
        let mut d = Divisions::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| DataError::new(file, format!("line {}: {why}", n + 1));
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 {
                return Err(bad("expected CODE<TAB>LEVEL<TAB>NAME<TAB>SHORT,FORMS"));
            }
            let code: u32 = cols[0]
                .parse()
                .ok()
                .filter(|c| (110_000..=999_999).contains(c))
                .ok_or_else(|| bad("the code must be six digits"))?;
            let level = match cols[1] {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "direct" => Level::Direct,
                _ => return Err(bad("level must be province, prefecture or direct")),
            };
            let name = cols[2].trim().to_string();
            if name.chars().count() < 2 {
                return Err(bad("the name is empty"));
            }
            let short: Vec<String> = cols[3]
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if short.iter().any(|s| s.chars().count() < 2) {
                return Err(bad("a short form has fewer than two characters"));
            }
            let i = d.all.len();
            for (key, is_short) in
                std::iter::once((&name, false)).chain(short.iter().map(|s| (s, true)))
            {
                d.names.entry(key.clone()).or_default().push((i, is_short));
                if let Some(first) = key.chars().next() {
                    d.by_first
                        .entry(first)
                        .or_default()
                        .push((key.clone(), i, is_short));
                }
            }
            d.all.push(Division {
                code,
                level,
                name,
                short,
            });
        }
        if d.all.is_empty() {
            return Err(DataError::new(file, "no divisions"));
        }
        // Longest first; at equal length a province before a city.
        let all = &d.all;
        for v in d.by_first.values_mut() {
            v.sort_by_key(|(k, i, _)| {
                (std::cmp::Reverse(k.len()), all[*i].level != Level::Province)
            });
        }
        Ok(d)
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Division> {
        self.all.iter()
    }

    pub(crate) fn has_province(&self, gb: u8) -> bool {
        self.all
            .iter()
            .any(|d| d.level == Level::Province && d.province_gb() == gb)
    }

    /// The division a whole name (full or short, e.g. a region's `city`) stands for;
    /// provinces win over cities of the same name.
    pub fn lookup(&self, name: &str) -> Option<&Division> {
        let n = norm(name);
        let hits = self.names.get(n.as_str())?;
        hits.iter()
            .map(|(i, _)| &self.all[*i])
            .min_by_key(|d| d.level != Level::Province)
    }

    /// The division named at the start of `text`: the longest full name or short form,
    /// a short form only when the next character does not make it part of another name.
    /// (A short form followed by another division's name is read too: `广东中山`.)
    fn at<'a>(&'a self, text: &str) -> Option<(&'a Division, usize)> {
        self.at_depth(text, true)
    }

    fn at_depth<'a>(&'a self, text: &str, look_on: bool) -> Option<(&'a Division, usize)> {
        let first = text.chars().next()?;
        let candidates = self.by_first.get(&first)?;
        candidates.iter().find_map(|(key, i, short)| {
            let rest = text.strip_prefix(key.as_str())?;
            let free = !short
                || rest
                    .chars()
                    .next()
                    .is_none_or(|c| !NOT_AFTER_SHORT.contains(&c))
                || (look_on && self.at_depth(rest, false).is_some());
            free.then(|| (&self.all[*i], key.len()))
        })
    }

    /// The province and city the start of an address names.
    pub fn read_address(&self, address: &str) -> Named<'_> {
        let normal = norm(address);
        let compact: std::borrow::Cow<'_, str> = if normal.contains(char::is_whitespace) {
            normal
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into()
        } else {
            normal.as_str().into()
        };
        let mut rest: &str = compact.strip_prefix("中国").unwrap_or(&compact);
        let mut named = Named::default();
        if let Some((d, len)) = self.at(rest) {
            if d.level == Level::Province {
                named.province = Some(d);
                rest = &rest[len..];
                if let Some((c, _)) = self.at(rest).filter(|(c, _)| c.level != Level::Province) {
                    named.city = Some(c);
                }
            } else {
                named.city = Some(d);
            }
        }
        named
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Divisions {
        Divisions::parse(
            include_str!("../../assets/rules/divisions.tsv"),
            "divisions.tsv",
        )
        .unwrap()
    }

    fn read(t: &Divisions, a: &str) -> (Option<String>, Option<String>) {
        let n = t.read_address(a);
        (
            n.province.map(|d| d.name.clone()),
            n.city.map(|d| d.name.clone()),
        )
    }

    #[test]
    fn reads_the_leading_province_and_city() {
        let t = table();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            read(&t, "广东省深圳市南山区科技园"),
            (s("广东省"), s("深圳市"))
        );
        assert_eq!(read(&t, "广东深圳南山区"), (s("广东省"), s("深圳市")));
        assert_eq!(
            read(&t, "中国 浙江省 杭州市西湖区"),
            (s("浙江省"), s("杭州市"))
        );
        assert_eq!(read(&t, "深圳市某路88号"), (None, s("深圳市")));
        assert_eq!(read(&t, "吉林市船营区"), (None, s("吉林市")));
        assert_eq!(read(&t, "吉林省吉林市船营区"), (s("吉林省"), s("吉林市")));
        assert_eq!(read(&t, "海南省海口市"), (s("海南省"), s("海口市")));
        assert_eq!(read(&t, "河南省济源市"), (s("河南省"), s("济源市")));
        assert_eq!(read(&t, "广东中山小榄镇"), (s("广东省"), s("中山市")));
        assert_eq!(read(&t, "辽宁大连甘井子区"), (s("辽宁省"), s("大连市")));
        // Street and district names are not cities.
        assert_eq!(read(&t, "北京市朝阳区建国路"), (s("北京市"), None));
        assert_eq!(read(&t, "南京路100号"), (None, None));
        assert_eq!(read(&t, "北京路88号"), (None, None));
        assert_eq!(read(&t, "天河区中山大道"), (None, None));
    }

    #[test]
    fn every_province_has_its_prefectures() {
        let t = table();
        assert_eq!(t.iter().filter(|d| d.level == Level::Province).count(), 31);
        assert!(t.iter().filter(|d| d.level == Level::Prefecture).count() >= 330);
        assert_eq!(t.lookup("深圳").map(|d| d.code), Some(440300));
        assert_eq!(t.lookup("海南").map(|d| d.code), Some(460000));
        assert_eq!(t.lookup("海南州").map(|d| d.code), Some(632500));
    }
}
