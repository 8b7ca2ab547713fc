//! Policy conditions: the operators and keys of DESIGN §4, typed when the document is parsed so
//! evaluation never fails.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::domain::{Scope, Timestamp};

use super::wildcard::Wildcard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    IpAddress,
    NotIpAddress,
}

impl Operator {
    pub const ALL: [Operator; 21] = [
        Operator::StringEquals,
        Operator::StringNotEquals,
        Operator::StringEqualsIgnoreCase,
        Operator::StringNotEqualsIgnoreCase,
        Operator::StringLike,
        Operator::StringNotLike,
        Operator::NumericEquals,
        Operator::NumericNotEquals,
        Operator::NumericLessThan,
        Operator::NumericLessThanEquals,
        Operator::NumericGreaterThan,
        Operator::NumericGreaterThanEquals,
        Operator::DateEquals,
        Operator::DateNotEquals,
        Operator::DateLessThan,
        Operator::DateLessThanEquals,
        Operator::DateGreaterThan,
        Operator::DateGreaterThanEquals,
        Operator::Bool,
        Operator::IpAddress,
        Operator::NotIpAddress,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operator::StringEquals => "StringEquals",
            Operator::StringNotEquals => "StringNotEquals",
            Operator::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Operator::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Operator::StringLike => "StringLike",
            Operator::StringNotLike => "StringNotLike",
            Operator::NumericEquals => "NumericEquals",
            Operator::NumericNotEquals => "NumericNotEquals",
            Operator::NumericLessThan => "NumericLessThan",
            Operator::NumericLessThanEquals => "NumericLessThanEquals",
            Operator::NumericGreaterThan => "NumericGreaterThan",
            Operator::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Operator::DateEquals => "DateEquals",
            Operator::DateNotEquals => "DateNotEquals",
            Operator::DateLessThan => "DateLessThan",
            Operator::DateLessThanEquals => "DateLessThanEquals",
            Operator::DateGreaterThan => "DateGreaterThan",
            Operator::DateGreaterThanEquals => "DateGreaterThanEquals",
            Operator::Bool => "Bool",
            Operator::IpAddress => "IpAddress",
            Operator::NotIpAddress => "NotIpAddress",
        }
    }

    pub fn parse(name: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Negated operators hold when no value matches.
    fn negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Scope,
    CurrentTime,
    CurrentRegion,
    SourceIp,
    SecureTransport,
    MfaPresent,
    /// A key of another service (`oss:Prefix`, `ecs:tag/…`, `acs:ResourceTag/…`): accepted as
    /// RAM accepts it, and absent from every DataWorks request, so its condition never holds.
    Absent(String),
}

impl Key {
    pub const KNOWN: [Key; 6] = [
        Key::Scope,
        Key::CurrentTime,
        Key::CurrentRegion,
        Key::SourceIp,
        Key::SecureTransport,
        Key::MfaPresent,
    ];

    pub fn name(&self) -> &str {
        match self {
            Key::Scope => "dataworks:Scope",
            Key::CurrentTime => "acs:CurrentTime",
            Key::CurrentRegion => "acs:CurrentRegion",
            Key::SourceIp => "acs:SourceIp",
            Key::SecureTransport => "acs:SecureTransport",
            Key::MfaPresent => "acs:MFAPresent",
            Key::Absent(name) => name,
        }
    }

    /// Condition keys are case-insensitive, as in RAM. A `dataworks:` key dwc does not know is
    /// a mistake (`None`); another service's key is accepted, absent.
    pub fn parse(name: &str) -> Option<Key> {
        if let Some(k) = Key::KNOWN
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
        {
            return Some(k);
        }
        let (service, rest) = name.split_once(':')?;
        let service_ok = !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        let rest_ok =
            !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control());
        (service_ok && rest_ok && !service.eq_ignore_ascii_case("dataworks"))
            .then(|| Key::Absent(name.to_owned()))
    }
}

/// Where a request comes from, as conditions may ask: the client's address, whether it came
/// over an encrypted transport, and whether its session passed multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub source_ip: std::net::IpAddr,
    pub secure_transport: bool,
    pub mfa: bool,
}

impl Origin {
    /// A session at this machine: 127.0.0.1, nothing crossed a network.
    pub fn local() -> Origin {
        Origin {
            source_ip: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            secure_transport: true,
            mfa: false,
        }
    }
}

impl Default for Origin {
    fn default() -> Self {
        Origin::local()
    }
}

/// One value of a condition, in the form its operator compares.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Like(Wildcard),
    Num(f64),
    Date(Timestamp),
    Bool(bool),
    /// An address or a CIDR block (a single address is a /32 or /128).
    Net(ipnet::IpNet),
}

/// Parses a date as RAM accepts it: RFC 3339 (`2026-12-31T23:59:59Z`) or a day (`2026-12-31`,
/// midnight UTC).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| Utc.from_utc_datetime(&dt))
}

impl Value {
    /// Types a raw value for `op`; `Err` says why it cannot be compared.
    pub fn typed(op: Operator, raw: &str) -> Result<Value, String> {
        use Operator::*;
        match op {
            StringEquals | StringNotEquals | StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                Ok(Value::Str(raw.to_owned()))
            }
            StringLike | StringNotLike => Ok(Value::Like(Wildcard::new(raw, false))),
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::Num)
                .ok_or_else(|| format!("{raw:?} is not a number")),
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => parse_date(raw).map(Value::Date).ok_or_else(|| {
                format!("{raw:?} is not a date (use 2026-12-31 or 2026-12-31T23:59:59Z)")
            }),
            Bool => match raw.to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(format!("{raw:?} is not true or false")),
            },
            IpAddress | NotIpAddress => {
                let t = raw.trim();
                t.parse::<ipnet::IpNet>()
                    .or_else(|_| t.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map(Value::Net)
                    .map_err(|_| {
                        format!("{raw:?} is not an IP address or CIDR block (such as 203.0.113.0/24 or 2001:db8::/32)")
                    })
            }
        }
    }
}

/// The facts a condition can ask about.
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts<'a> {
    pub scope: Scope,
    pub region: &'a str,
    pub now: Timestamp,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub op: Operator,
    pub key: Key,
    pub values: Vec<Value>,
}

impl Condition {
    /// Several values for one key: any may match (all must fail for negated operators).
    pub fn holds(&self, facts: &RequestFacts) -> bool {
        // A key the request does not carry makes its condition false, negated or not (RAM).
        if let Key::Absent(_) = self.key {
            return false;
        }
        let any = self.values.iter().any(|v| self.matches_one(v, facts));
        if self.op.negated() { !any } else { any }
    }

    /// Whether the key's value equals/is-like/compares to `v` (the positive form of the operator).
    fn matches_one(&self, v: &Value, facts: &RequestFacts) -> bool {
        use Operator::*;
        let text = || -> std::borrow::Cow<'_, str> {
            match self.key {
                Key::Scope => facts.scope.as_str().into(),
                Key::CurrentRegion => facts.region.into(),
                Key::CurrentTime => facts
                    .now
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    .into(),
                Key::SourceIp => facts.origin.source_ip.to_string().into(),
                Key::SecureTransport => facts.origin.secure_transport.to_string().into(),
                Key::MfaPresent => facts.origin.mfa.to_string().into(),
                Key::Absent(_) => "".into(),
            }
        };
        match (self.op, v) {
            (StringEquals | StringNotEquals, Value::Str(s)) => *text() == **s,
            (StringEqualsIgnoreCase | StringNotEqualsIgnoreCase, Value::Str(s)) => {
                text().eq_ignore_ascii_case(s)
            }
            (StringLike | StringNotLike, Value::Like(w)) => w.matches(&text()),
            (_, Value::Num(n)) => {
                let actual = match self.key {
                    Key::CurrentTime => Some(facts.now.timestamp() as f64),
                    _ => text().parse::<f64>().ok(),
                };
                actual.is_some_and(|a| compare(self.op, a.partial_cmp(n)))
            }
            (_, Value::Date(d)) => {
                let actual = match self.key {
                    Key::CurrentTime => Some(facts.now),
                    _ => parse_date(&text()),
                };
                actual.is_some_and(|a| compare(self.op, Some(a.cmp(d))))
            }
            (IpAddress | NotIpAddress, Value::Net(net)) => {
                matches!(self.key, Key::SourceIp) && net.contains(&facts.origin.source_ip)
            }
            (Bool, Value::Bool(b)) => {
                text().eq_ignore_ascii_case(if *b { "true" } else { "false" })
            }
            _ => false,
        }
    }
}

fn compare(op: Operator, ord: Option<std::cmp::Ordering>) -> bool {
    use Operator::*;
    use std::cmp::Ordering::*;
    let Some(ord) = ord else { return false };
    match op {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ord == Equal,
        NumericLessThan | DateLessThan => ord == Less,
        NumericLessThanEquals | DateLessThanEquals => ord != Greater,
        NumericGreaterThan | DateGreaterThan => ord == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}
