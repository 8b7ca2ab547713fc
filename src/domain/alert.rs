//! Alert contacts, per-day sending limits and usage (seed 000, "Alert configuration").

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Channel {
    Sms,
    Phone,
    Email,
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Sms,
        Channel::Phone,
        Channel::Email,
        Channel::Webhook,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.slug().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    format!("must be sms, phone, email or webhook (got {value:?})"),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub webhook: Option<String>,
}

impl AlertContact {
    pub fn new(
        name: &str,
        phone: Option<&str>,
        email: Option<&str>,
        webhook: Option<&str>,
    ) -> DomainResult<Self> {
        names::contact_name(name)?;
        let clean = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let (phone, email, webhook) = (clean(phone), clean(email), clean(webhook));
        if let Some(p) = &phone {
            names::phone(p)?;
        }
        if let Some(e) = &email {
            names::email(e)?;
        }
        if let Some(w) = &webhook {
            names::webhook_url(w)?;
        }
        if phone.is_none() && email.is_none() && webhook.is_none() {
            return Err(DomainError::invalid(
                "phone",
                "a contact needs a phone, an e-mail or a webhook",
            ));
        }
        Ok(AlertContact {
            name: name.to_owned(),
            phone,
            email,
            webhook,
        })
    }

    /// The contact as someone who may not manage alerts sees it: enough to recognise each
    /// address, not to use it (webhook URLs often carry a token).
    pub fn masked(&self) -> AlertContact {
        AlertContact {
            name: self.name.clone(),
            phone: self.phone.as_deref().map(mask_phone),
            email: self.email.as_deref().map(mask_email),
            webhook: self.webhook.as_deref().map(mask_url),
        }
    }

    /// Where this contact receives alerts on a channel (SMS and phone both use the phone number).
    pub fn address(&self, ch: Channel) -> Option<&str> {
        match ch {
            Channel::Sms | Channel::Phone => self.phone.as_deref(),
            Channel::Email => self.email.as_deref(),
            Channel::Webhook => self.webhook.as_deref(),
        }
    }
}

/// `+86 13812345678` → `+86 138****5678`: the country code, the first three and last four digits.
pub fn mask_phone(phone: &str) -> String {
    let (code, rest) = match phone.split_once([' ', '-']) {
        Some((c, r)) if c.starts_with('+') => (format!("{c} "), r),
        _ => (String::new(), phone),
    };
    let digits: Vec<char> = rest.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n < 8 {
        let tail: String = digits[n.saturating_sub(2)..].iter().collect();
        return format!("{code}****{tail}");
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[n - 4..].iter().collect();
    format!("{code}{head}****{tail}")
}

/// `alice@example.com` → `a***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `https://hooks.example.com/services/T0/B0/XXXX` → `https://hooks.example.com/…`.
pub fn mask_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials in the authority are no more shown than the path.
    let host = host.rsplit('@').next().unwrap_or(host);
    if scheme.is_empty() {
        format!("{host}/…")
    } else {
        format!("{scheme}://{host}/…")
    }
}

/// An AccessKey id as its last four characters: `LTAI5tAbCdEf1234` → `****1234`.
pub fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("****{tail}")
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    #[test]
    fn masks_keep_enough_to_recognise() {
        assert_eq!(mask_phone("+86 13812345678"), "+86 138****5678");
        assert_eq!(mask_phone("+86-138-1234-5678"), "+86 138****5678");
        assert_eq!(mask_phone("+1 5551234"), "+1 ****34");
        assert_eq!(mask_email("alice@example.com"), "a***@example.com");
        assert_eq!(
            mask_url("https://hooks.example.com/services/T0/B0/secret?token=x"),
            "https://hooks.example.com/…"
        );
        assert_eq!(
            mask_url("https://user:pw@h.example.com/x"),
            "https://h.example.com/…"
        );
        assert_eq!(mask_key_id("LTAIdemoFinance"), "****ance");
        assert_eq!(mask_key_id("ab"), "****ab");
    }
}

/// Per-day limits; `None` is unlimited (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlertLimits {
    pub sms_per_day: Option<u32>,
    pub phone_per_day: Option<u32>,
    pub email_per_day: Option<u32>,
    pub webhook_per_day: Option<u32>,
}

impl AlertLimits {
    pub fn get(&self, ch: Channel) -> Option<u32> {
        match ch {
            Channel::Sms => self.sms_per_day,
            Channel::Phone => self.phone_per_day,
            Channel::Email => self.email_per_day,
            Channel::Webhook => self.webhook_per_day,
        }
    }

    pub fn set(&mut self, ch: Channel, limit: Option<u32>) -> DomainResult<()> {
        if let Some(l) = limit {
            names::in_range("limit", l.into(), 1, 100_000, "per day")?;
        }
        match ch {
            Channel::Sms => self.sms_per_day = limit,
            Channel::Phone => self.phone_per_day = limit,
            Channel::Email => self.email_per_day = limit,
            Channel::Webhook => self.webhook_per_day = limit,
        }
        Ok(())
    }
}

/// Counts of one channel for a day and its month, and refusals once the limit was reached.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChannelUsage {
    pub day: String,
    pub sent_today: u32,
    pub refused_today: u32,
    pub month: String,
    pub sent_month: u32,
}

impl ChannelUsage {
    /// Rolls the counters over when the day or the month changed.
    fn roll(&mut self, now: Timestamp) {
        let day = now.format("%Y-%m-%d").to_string();
        let month = now.format("%Y-%m").to_string();
        if self.month != month {
            self.month = month;
            self.sent_month = 0;
        }
        if self.day != day {
            self.day = day;
            self.sent_today = 0;
            self.refused_today = 0;
        }
    }

    /// Counts one send if the limit allows it; otherwise counts the refusal.
    pub fn try_send(&mut self, limit: Option<u32>, now: Timestamp) -> Result<(), u32> {
        self.roll(now);
        match limit {
            Some(l) if self.sent_today >= l => {
                self.refused_today += 1;
                Err(l)
            }
            _ => {
                self.sent_today += 1;
                self.sent_month += 1;
                Ok(())
            }
        }
    }

    /// The usage as of `now`, without changing anything stored.
    pub fn as_of(&self, now: Timestamp) -> ChannelUsage {
        let mut u = self.clone();
        u.roll(now);
        u
    }
}

/// What became of one alert to one contact: the Management Center's outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// SMS, phone and e-mail: recorded here (dwc has no carrier).
    Recorded,
    /// A webhook POST answered with this HTTP status.
    Delivered(u16),
    /// A webhook POST failed: the reason.
    Failed(String),
    /// The channel's daily limit was reached: not sent.
    Refused(String),
    /// Counted; the POST has not answered yet.
    Sending,
}

impl Delivery {
    pub fn title(&self) -> String {
        match self {
            Delivery::Recorded => "recorded".into(),
            Delivery::Delivered(code) => format!("delivered (HTTP {code})"),
            Delivery::Failed(r) => format!("failed: {r}"),
            Delivery::Refused(r) => format!("refused: {r}"),
            Delivery::Sending => "sending".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub at: Timestamp,
    pub channel: Channel,
    pub contact: String,
    pub address: String,
    pub message: String,
    pub delivery: Delivery,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn contacts_validate() {
        assert!(AlertContact::new("On-call", Some("+86 13800000000"), None, None).is_ok());
        assert!(
            AlertContact::new("x", Some("138"), None, None)
                .unwrap_err()
                .to_string()
                .starts_with("phone:")
        );
        assert!(
            AlertContact::new("x", None, Some("nope"), None)
                .unwrap_err()
                .to_string()
                .starts_with("email:")
        );
        assert!(AlertContact::new("x", None, None, None).is_err());
        assert!(AlertContact::new("x", Some(" "), None, Some("http://127.0.0.1:9/h")).is_ok());
    }

    #[test]
    fn limits_stop_sending_and_count_refusals() {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 23, 0, 0)
            .unwrap();
        let mut u = ChannelUsage::default();
        assert_eq!(u.try_send(Some(2), t), Ok(()));
        assert_eq!(u.try_send(Some(2), t), Ok(()));
        assert_eq!(u.try_send(Some(2), t), Err(2));
        assert_eq!((u.sent_today, u.refused_today, u.sent_month), (2, 1, 2));
        let next_day = t + Duration::hours(2);
        assert_eq!(u.as_of(next_day).sent_today, 0);
        assert_eq!(u.as_of(next_day).sent_month, 0, "a new month too");
        assert_eq!(u.try_send(None, next_day), Ok(()));
        let mut l = AlertLimits::default();
        assert!(l.set(Channel::Sms, Some(0)).is_err());
        l.set(Channel::Sms, Some(10)).unwrap();
        assert_eq!(l.get(Channel::Sms), Some(10));
        assert_eq!(l.get(Channel::Phone), None);
    }
}
