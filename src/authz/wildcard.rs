//! `*` and `?` wildcards as RAM policies use them in actions, resources and StringLike values.

/// A pattern compiled once, matched many times. Case-folding patterns are stored lowercase and
/// compare ASCII case-insensitively (actions are case-insensitive).
/// A pattern compiled once, matched many times. Case-folding patterns are stored lowercase and
/// compare ASCII case-insensitively (actions are case-insensitive).
#[derive(Debug, Clone)]
pub struct Wildcard {
    source: Box<str>,
    kind: Kind,
    fold: bool,
}

impl PartialEq for Wildcard {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.fold == other.fold
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Any,
    Exact,
    /// Everything before a single trailing `*`.
    Prefix(usize),
    /// `*` but no `?`, case-sensitive: literal pieces found in order, no backtracking.
    Segments {
        first: Box<str>,
        middle: Box<[Box<[u8]>]>,
        last: Box<str>,
    },
    Glob,
}

impl Wildcard {
    pub fn new(pattern: &str, fold: bool) -> Self {
        let source: Box<str> = if fold {
            pattern.to_ascii_lowercase().into()
        } else {
            pattern.into()
        };
        let p = &*source;
        let kind = if p == "*" {
            Kind::Any
        } else if !p.contains(['*', '?']) {
            Kind::Exact
        } else if p.ends_with('*') && !p[..p.len() - 1].contains(['*', '?']) {
            Kind::Prefix(p.len() - 1)
        } else if !fold && !p.contains('?') {
            let mut pieces: Vec<&str> = p.split('*').collect();
            let last = pieces.pop().unwrap_or_default().into();
            let first = if pieces.is_empty() {
                ""
            } else {
                pieces.remove(0)
            }
            .into();
            let middle = pieces
                .into_iter()
                .filter(|m| !m.is_empty())
                .map(|m| m.as_bytes().into())
                .collect();
            Kind::Segments {
                first,
                middle,
                last,
            }
        } else {
            Kind::Glob
        };
        Wildcard { source, kind, fold }
    }

    /// The pattern as written (lowercased when case-folding).
    pub fn source(&self) -> &str {
        &self.source
    }

    #[inline]
    pub fn matches(&self, text: &str) -> bool {
        let p = &*self.source;
        match &self.kind {
            Kind::Any => true,
            Kind::Exact if self.fold => p.eq_ignore_ascii_case(text),
            Kind::Exact => p == text,
            Kind::Prefix(n) => {
                text.len() >= *n
                    && if self.fold {
                        text.as_bytes()[..*n].eq_ignore_ascii_case(&p.as_bytes()[..*n])
                    } else {
                        text.as_bytes().starts_with(&p.as_bytes()[..*n])
                    }
            }
            Kind::Segments {
                first,
                middle,
                last,
            } => {
                if text.len() < first.len() + last.len()
                    || !text.starts_with(&**first)
                    || !text.ends_with(&**last)
                {
                    return false;
                }
                let mut rest = &text.as_bytes()[first.len()..text.len() - last.len()];
                for m in middle.iter() {
                    match find(rest, m) {
                        Some(i) => rest = &rest[i + m.len()..],
                        None => return false,
                    }
                }
                true
            }
            Kind::Glob => glob(p, text, self.fold),
        }
    }
}

/// Where `needle` first occurs in `hay`. ARNs are short, so a first-byte scan beats searchers
/// that pay a set-up cost on every call (measured: `str::find` and memchr's `Finder` both lose).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start).find(|&i| hay[i] == first && hay[i + 1..i + needle.len()] == *rest)
}

fn char_len(first_byte: u8) -> usize {
    match first_byte {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Iterative glob with single-star backtracking: linear in practice, never exponential.
/// `?` matches one character (not one byte).
pub fn glob(pattern: &str, text: &str, fold: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    let eq = |a: u8, b: u8| {
        if fold {
            a == b.to_ascii_lowercase()
        } else {
            a == b
        }
    };
    while j < t.len() {
        if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == b'?' {
            i += 1;
            j += char_len(t[j]);
        } else if i < p.len() && eq(p[i], t[j]) {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            let next = sj + char_len(t[sj]);
            star = Some((si, next));
            i = si + 1;
            j = next;
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == b'*' {
        i += 1;
    }
    i == p.len() && j == t.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let w = |p: &str, t: &str, fold| Wildcard::new(p, fold).matches(t);
        assert!(w("*", "anything", false));
        assert!(w("dataworks:*", "DataWorks:CreateProject", true));
        assert!(!w("dataworks:*", "bss:PayOrder", true));
        assert!(w("dataworks:Get*", "dataworks:getproject", true));
        assert!(w(
            "dataworks:createproject",
            "dataworks:CreateProject",
            true
        ));
        assert!(!w(
            "acs:dataworks:*:*:workspace/Fin*",
            "acs:dataworks:cn:acme:workspace/fin_etl",
            false
        ));
        assert!(w(
            "acs:dataworks:*:*:workspace/fin*",
            "acs:dataworks:cn:acme:workspace/fin_etl",
            false
        ));
        assert!(w("dataworks:?etProject", "dataworks:GetProject", true));
        assert!(!w("dataworks:?etProject", "dataworks:etProject", true));
        assert!(w("a*b*c", "axxbyyc", false));
        assert!(!w("a*b*c", "axxbyy", false));
        assert!(w("*.csv", "x.csv", false));
        assert!(w("??", "éa", false), "? is one character");
        assert!(!w("?", "", false));
        assert!(w("a**", "a", false));
        assert!(w("*a", "ba", false) && !w("*a", "ab", false));
        assert!(
            !w("ab*b", "ab", false),
            "first and last pieces may not overlap"
        );
        assert!(w("ab*b", "abb", false));
        assert!(w("a*b*b*c", "abbc", false) && !w("a*b*b*c", "abc", false));
        assert!(w(
            "acs:dataworks:*:*:workspace/prod_*",
            "acs:dataworks:cn:acme:workspace/prod_x",
            false
        ));
        assert!(!w(
            "acs:dataworks:*:*:workspace/prod_*",
            "acs:dataworks:cn:acme:workspace/dev_x",
            false
        ));
    }

    #[test]
    fn no_blowup_on_many_stars() {
        let p = "*a".repeat(30) + "b";
        let t = "a".repeat(5000);
        assert!(!glob(&p, &t, false));
    }
}
