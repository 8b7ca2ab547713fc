//! Purchased resources and services: subscriptions and pay-as-you-go items with monthly bills.

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::edition::Edition;
use super::error::{DomainError, DomainResult};
use super::names;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PurchaseKind {
    Edition(Edition),
    ResourceGroup(String),
    /// A pay-as-you-go service such as Data Quality instance checks.
    Service(String),
}

impl PurchaseKind {
    pub fn title(&self) -> String {
        match self {
            PurchaseKind::Edition(e) => format!("DataWorks {} Edition", e.title()),
            PurchaseKind::ResourceGroup(n) => format!("Serverless resource group {n}"),
            PurchaseKind::Service(s) => s.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Billing {
    Subscription {
        expires_at: Timestamp,
        auto_renew: bool,
    },
    PayAsYouGo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PurchaseStatus {
    Active,
    Expired,
    Unsubscribed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchasedItem {
    /// Order-style id, such as `ord-20261101-0001`.
    pub id: String,
    pub kind: PurchaseKind,
    pub region: Option<String>,
    pub billing: Billing,
    pub status: PurchaseStatus,
    /// Price per month (subscriptions) or per unit (pay-as-you-go), in cents.
    pub unit_price_cents: i64,
    pub created_at: Timestamp,
}

impl PurchasedItem {
    pub fn unsubscribe(&mut self) -> DomainResult<()> {
        if self.status != PurchaseStatus::Active {
            return Err(DomainError::IllegalTransition {
                entity: "purchase",
                name: self.id.clone(),
                state: format!("{:?}", self.status),
                action: "unsubscribe",
            });
        }
        self.status = PurchaseStatus::Unsubscribed;
        Ok(())
    }
}

/// One month's charge for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    /// `YYYY-MM`.
    pub month: String,
    pub item_id: String,
    pub description: String,
    pub amount_cents: i64,
}

impl Bill {
    pub fn new(
        month: &str,
        item_id: &str,
        description: &str,
        amount_cents: i64,
    ) -> DomainResult<Self> {
        if amount_cents < 0 {
            return Err(DomainError::invalid("amount", "must not be negative"));
        }
        Bill::change(month, item_id, description, amount_cents)
    }
}

impl Bill {
    /// What a change of configuration costs or gives back: positive for an upgrade's charge,
    /// negative for a downgrade's refund (the vendor's rule for subscriptions: the difference
    /// for the time left).
    pub fn change(
        month: &str,
        item_id: &str,
        description: &str,
        amount_cents: i64,
    ) -> DomainResult<Self> {
        names::year_month("month", month)?;
        Ok(Bill {
            month: month.into(),
            item_id: item_id.into(),
            description: description.into(),
            amount_cents,
        })
    }
}

/// The difference between two monthly prices for the time a subscription has left, prorated
/// by the hour over 30-day months as Alibaba Cloud bills a configuration change: what an
/// upgrade charges (positive) or a downgrade refunds (negative). Nothing once it has expired.
pub fn change_charge(
    old_monthly: i64,
    new_monthly: i64,
    now: Timestamp,
    expires_at: Timestamp,
) -> i64 {
    let hours = (expires_at - now).num_hours().max(0);
    let diff = i128::from(new_monthly - old_monthly) * i128::from(hours);
    // Rounded to the nearest cent, halves away from zero.
    let month_hours = 30 * 24;
    let cents = (diff * 2 + diff.signum() * month_hours) / (2 * month_hours);
    i64::try_from(cents).unwrap_or(if diff > 0 { i64::MAX } else { i64::MIN })
}

/// A change's charge for people: charged, refunded or nothing.
pub fn charge_phrase(charge: i64) -> String {
    match charge {
        0 => "nothing to pay for the time left".to_owned(),
        c if c > 0 => format!("{} charged for the time left", format_cents(c)),
        c => format!("{} refunded for the time left", format_cents(-c)),
    }
}

/// Month key `YYYY-MM` of a time.
pub fn month_of(t: Timestamp) -> String {
    t.format("%Y-%m").to_string()
}

/// Money for people: cents as `1,234.56`.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let units = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_months() {
        assert_eq!(format_cents(123456789), "1,234,567.89");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(-100000), "-1,000.00");
        assert!(Bill::new("2026-1", "x", "d", 1).is_err());
        assert!(Bill::new("2026-01", "x", "d", -1).is_err());
        assert_eq!(month_of(chrono::DateTime::UNIX_EPOCH), "1970-01");
        assert!(Bill::change("2026-01", "x", "refund", -1).is_ok());
    }

    #[test]
    fn a_change_costs_the_difference_for_the_time_left() {
        let now = chrono::DateTime::UNIX_EPOCH;
        let in_days = |d| now + chrono::Duration::days(d);
        // Half a month left of a 1,000.00 → 3,000.00 change: 1,000.00.
        assert_eq!(change_charge(100_000, 300_000, now, in_days(15)), 100_000);
        assert_eq!(change_charge(300_000, 100_000, now, in_days(15)), -100_000);
        assert_eq!(change_charge(100_000, 300_000, now, in_days(-1)), 0);
        // 50 days of a 7,200 → 14,400 change (the vendor's example): 12,000.
        assert_eq!(
            change_charge(720_000, 1_440_000, now, in_days(50)),
            1_200_000
        );
        // An hour of a 0.07 difference rounds to the cent.
        assert_eq!(
            change_charge(0, 7, now, now + chrono::Duration::hours(360)),
            4
        );
    }
}
