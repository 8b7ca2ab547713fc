//! Field validators. Each returns an error that names the field and states the whole rule, so a
//! person sees at once what to type instead.

use super::error::{DomainError, DomainResult};

fn fail<T>(field: &str, rule: String) -> DomainResult<T> {
    Err(DomainError::invalid(field, rule))
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// An identifier of the shape "a letter first, then letters, digits or `_`".
fn identifier(field: &str, value: &str, what: &str, min: usize, max: usize) -> DomainResult<()> {
    let rule = format!("{what}: a letter first, then letters, digits or _; {min}–{max} characters");
    let len = char_count(value);
    if value.is_empty() {
        return fail(field, format!("must not be empty ({rule})"));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return fail(field, format!("must start with a letter ({rule})"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return fail(field, format!("must not contain {bad:?} ({rule})"));
    }
    if len < min || len > max {
        return fail(field, format!("is {len} characters long ({rule})"));
    }
    Ok(())
}

pub fn workspace_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "workspace names", 3, 28)
}

pub fn resource_group_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "resource group names", 1, 128)
}

pub fn data_source_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "data source names", 1, 60)
}

pub fn compute_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "compute resource names", 1, 60)
}

pub fn model_deployment_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "deployment names", 1, 64)
}

pub fn extension_name(value: &str) -> DomainResult<()> {
    identifier("name", value, "extension names", 1, 64)
}

pub fn contact_name(value: &str) -> DomainResult<()> {
    text_line("name", value, 1, 64)
}

/// Image names: lowercase letters, digits and `_`, at most 128.
pub fn image_name(value: &str) -> DomainResult<()> {
    let rule = "image names: lowercase letters, digits or _; 1–128 characters";
    if value.is_empty() {
        return fail("name", format!("must not be empty ({rule})"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return fail("name", format!("must not contain {bad:?} ({rule})"));
    }
    if value.len() > 128 {
        return fail(
            "name",
            format!("is {} characters long ({rule})", value.len()),
        );
    }
    Ok(())
}

/// RAM user names: a letter or digit first, then letters, digits, `.`, `_`, `-`; 1–64.
pub fn user_name(value: &str) -> DomainResult<()> {
    let rule = "user names: a letter or digit first, then letters, digits, '.', '_' or '-'; 1–64 characters";
    if value.is_empty() {
        return fail("user", format!("must not be empty ({rule})"));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return fail(
            "user",
            format!("must start with a letter or digit ({rule})"),
        );
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return fail("user", format!("must not contain {bad:?} ({rule})"));
    }
    if value.len() > 64 {
        return fail(
            "user",
            format!("is {} characters long ({rule})", value.len()),
        );
    }
    Ok(())
}

/// The tenant's account name: a user name, reported against the `account` field.
pub fn account_name(value: &str) -> DomainResult<()> {
    user_name(value).map_err(|e| match e {
        DomainError::Invalid { rule, .. } => DomainError::invalid("account", rule),
        e => e,
    })
}

/// Policy and custom role names: letters, digits, `-` and `_`; 1–128 (policies) or 1–64 (roles).
pub fn slug_name(field: &str, what: &str, value: &str, max: usize) -> DomainResult<()> {
    let rule = format!("{what}: letters, digits, '-' or '_'; 1–{max} characters");
    if value.is_empty() {
        return fail(field, format!("must not be empty ({rule})"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return fail(field, format!("must not contain {bad:?} ({rule})"));
    }
    if value.len() > max {
        return fail(
            field,
            format!("is {} characters long ({rule})", value.len()),
        );
    }
    Ok(())
}

pub fn policy_name(value: &str) -> DomainResult<()> {
    slug_name("name", "policy names", value, 128)
}

pub fn role_name(value: &str) -> DomainResult<()> {
    slug_name("name", "role names", value, 64)
}

/// One line of free text: no control characters, `min`–`max` characters.
const BIDI_RULE: &str = "must not contain bidirectional control characters (such as U+202E, right-to-left override): they make text read differently from what it is";

pub fn text_line(field: &str, value: &str, min: usize, max: usize) -> DomainResult<()> {
    let len = char_count(value);
    if value.chars().any(char::is_control) {
        return fail(
            field,
            "must not contain control characters or line breaks".into(),
        );
    }
    if value.chars().any(super::text::is_bidi_control) {
        return fail(field, BIDI_RULE.into());
    }
    if value.trim().len() < min && min > 0 {
        return fail(field, format!("must not be empty ({min}–{max} characters)"));
    }
    if len > max {
        return fail(field, format!("is {len} characters long (at most {max})"));
    }
    Ok(())
}

/// Free text that may span lines (descriptions): no other control characters, at most `max`.
pub fn text_block(field: &str, value: &str, max: usize) -> DomainResult<()> {
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return fail(field, "must not contain control characters".into());
    }
    if value.chars().any(super::text::is_bidi_control) {
        return fail(field, BIDI_RULE.into());
    }
    let len = char_count(value);
    if len > max {
        return fail(field, format!("is {len} characters long (at most {max})"));
    }
    Ok(())
}

/// A whole number typed on a command line, checked by its field's own rule: `--spec -1` is told
/// the spec's range, not that `-1` looks like an option.
pub fn whole(value: i64, check: impl Fn(i64) -> DomainResult<()>) -> DomainResult<u32> {
    check(value)?;
    u32::try_from(value).map_err(|_| DomainError::invalid("value", format!("{value} is too large")))
}

/// A phone number with its country code: `+`, then 8–15 digits, spaces or `-` between groups.
pub fn phone(value: &str) -> DomainResult<()> {
    let rule =
        "a phone number with its country code, such as +86 13800000000 (+, then 8–15 digits)";
    let Some(rest) = value.strip_prefix('+') else {
        return fail(
            "phone",
            format!("must start with + and the country code ({rule})"),
        );
    };
    if let Some(bad) = rest
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-')))
    {
        return fail("phone", format!("must not contain {bad:?} ({rule})"));
    }
    if rest.starts_with(['0', ' ', '-']) {
        return fail(
            "phone",
            format!("country code must not start with 0 ({rule})"),
        );
    }
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    if !(8..=15).contains(&digits) {
        return fail("phone", format!("has {digits} digits ({rule})"));
    }
    Ok(())
}

fn dns_label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

pub fn email(value: &str) -> DomainResult<()> {
    let rule = "an e-mail address such as ops@example.com";
    let Some((local, domain)) = value.split_once('@') else {
        return fail("email", format!("must contain @ ({rule})"));
    };
    if local.is_empty() || local.len() > 64 {
        return fail("email", format!("needs 1–64 characters before @ ({rule})"));
    }
    if local
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>' | ','))
    {
        return fail(
            "email",
            format!("has a character not allowed before @ ({rule})"),
        );
    }
    if !domain.contains('.') || !domain.split('.').all(dns_label_ok) {
        return fail(
            "email",
            format!("has an invalid domain {domain:?} ({rule})"),
        );
    }
    Ok(())
}

/// A host name or IP address: no spaces, DNS labels or a literal IPv4/IPv6 address.
pub fn host(field: &str, value: &str) -> DomainResult<()> {
    let rule = "a host name or IP address, such as db.internal or 10.0.0.5";
    if value.is_empty() {
        return fail(field, format!("must not be empty ({rule})"));
    }
    if value.chars().any(char::is_whitespace) {
        return fail(field, format!("must not contain spaces ({rule})"));
    }
    if value.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let trimmed = value.strip_suffix('.').unwrap_or(value);
    if trimmed.len() > 253 || !trimmed.split('.').all(dns_label_ok) {
        return fail(
            field,
            format!("{value:?} is not a valid host name ({rule})"),
        );
    }
    Ok(())
}

pub fn port(field: &str, value: u32) -> DomainResult<u16> {
    if (1..=65535).contains(&value) {
        Ok(value as u16)
    } else {
        fail(field, format!("must be between 1 and 65535 (got {value})"))
    }
}

/// Parses a port typed as text (forms and CLI), with the same rule.
pub fn port_text(field: &str, value: &str) -> DomainResult<u16> {
    match value.trim().parse::<u32>() {
        Ok(n) => port(field, n),
        Err(_) => fail(
            field,
            format!("must be a number between 1 and 65535 (got {value:?})"),
        ),
    }
}

/// `http://` or `https://` URL with a valid host, used for alert webhooks.
pub fn webhook_url(value: &str) -> DomainResult<()> {
    let rule = "an http:// or https:// URL such as https://hooks.example.com/dw";
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return fail(
            "webhook",
            format!("must start with http:// or https:// ({rule})"),
        );
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("webhook", format!("must not contain spaces ({rule})"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_part = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || p.chars().all(|c| c.is_ascii_digit()) => {
            port_text("webhook", p)?;
            h
        }
        _ => authority,
    };
    let host_part = host_part.trim_start_matches('[').trim_end_matches(']');
    host("webhook", host_part)
}

/// An id with a fixed prefix, as cloud consoles print them (`vpc-…`, `vsw-…`).
pub fn prefixed_id(field: &str, value: &str, prefix: &str) -> DomainResult<()> {
    let rule = format!(
        "an id such as {prefix}bp1a2b3c4d (\"{prefix}\" then 1–64 lowercase letters or digits)"
    );
    let Some(rest) = value.strip_prefix(prefix) else {
        return fail(field, format!("must start with {prefix:?} ({rule})"));
    };
    if rest.is_empty()
        || rest.len() > 64
        || !rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return fail(field, format!("{value:?} is not valid ({rule})"));
    }
    Ok(())
}

/// Instance and project ids of compute engines: letters, digits, `-`, `_`, `.`; 1–128.
pub fn instance_id(field: &str, value: &str) -> DomainResult<()> {
    let rule = "letters, digits, '-', '_' or '.'; 1–128 characters";
    if value.is_empty() || value.len() > 128 {
        return fail(field, format!("must be 1–128 characters ({rule})"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return fail(field, format!("must not contain {bad:?} ({rule})"));
    }
    Ok(())
}

/// Whole numbers within an inclusive range (a negative one is simply out of it).
pub fn in_range(field: &str, value: i64, min: u64, max: u64, unit: &str) -> DomainResult<()> {
    if value < 0 || (value as u64) < min || (value as u64) > max {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        return fail(
            field,
            format!("must be between {min} and {max}{unit} (got {value})"),
        );
    }
    Ok(())
}

/// A month as `YYYY-MM`.
pub fn year_month(field: &str, value: &str) -> DomainResult<()> {
    let ok = value.len() == 7
        && value.as_bytes()[4] == b'-'
        && value[..4].chars().all(|c| c.is_ascii_digit())
        && value[5..]
            .parse::<u32>()
            .is_ok_and(|m| (1..=12).contains(&m));
    if ok {
        Ok(())
    } else {
        fail(
            field,
            format!("must be a month as YYYY-MM, such as 2026-11 (got {value:?})"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_of(r: DomainResult<()>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn workspace_names() {
        for ok in ["abc", "finance_etl", "A1_", "a234567890123456789012345678"] {
            assert!(workspace_name(ok).is_ok(), "{ok}");
        }
        assert!(rule_of(workspace_name("ab")).contains("is 2 characters long"));
        assert!(rule_of(workspace_name("1abc")).starts_with("name: must start with a letter"));
        assert!(rule_of(workspace_name("fin-etl")).contains("must not contain '-'"));
        assert!(rule_of(workspace_name(&"a".repeat(29))).contains("3–28"));
        assert!(rule_of(workspace_name("")).contains("must not be empty"));
        assert!(workspace_name("été").is_err());
    }

    #[test]
    fn image_and_group_names() {
        assert!(image_name("py311_pandas").is_ok());
        assert!(rule_of(image_name("Py")).contains("'P'"));
        assert!(image_name(&"a".repeat(129)).is_err());
        assert!(resource_group_name("rg_prod_01").is_ok());
        assert!(resource_group_name(&"r".repeat(128)).is_ok());
        assert!(resource_group_name(&"r".repeat(129)).is_err());
        assert!(resource_group_name("_rg").is_err());
    }

    #[test]
    fn phones() {
        for ok in [
            "+86 13800000000",
            "+8613800000000",
            "+1-415-555-0100",
            "+49 30 1234567",
        ] {
            assert!(phone(ok).is_ok(), "{ok}");
        }
        assert!(rule_of(phone("13800000000")).starts_with("phone: must start with +"));
        assert!(rule_of(phone("+86 138x")).contains("'x'"));
        assert!(rule_of(phone("+1 234")).contains("has 4 digits"));
        assert!(phone("+0 1234567890").is_err());
        assert!(phone("+").is_err());
    }

    #[test]
    fn emails() {
        assert!(email("ops@example.com").is_ok());
        assert!(email("a.b+c@mail.example.co").is_ok());
        for bad in [
            "ops",
            "@example.com",
            "ops@",
            "ops@example",
            "o ps@example.com",
            "ops@-x.com",
        ] {
            assert!(rule_of(email(bad)).starts_with("email:"), "{bad}");
        }
    }

    #[test]
    fn hosts_and_ports() {
        assert!(host("host", "db.internal").is_ok());
        assert!(host("host", "127.0.0.1").is_ok());
        assert!(host("host", "::1").is_ok());
        assert!(rule_of(host("host", "db internal")).contains("must not contain spaces"));
        assert!(host("host", "").is_err());
        assert!(host("host", "bad_host!").is_err());
        assert_eq!(port("port", 5432), Ok(5432));
        assert!(rule_of(port("port", 0).map(|_| ())).contains("between 1 and 65535 (got 0)"));
        assert!(port("port", 65536).is_err());
        assert!(port_text("port", "abc").is_err());
        assert_eq!(port_text("port", " 3306 "), Ok(3306));
    }

    #[test]
    fn urls_ids_months() {
        assert!(webhook_url("https://hooks.example.com/a?b=1").is_ok());
        assert!(webhook_url("http://127.0.0.1:8080/hook").is_ok());
        assert!(webhook_url("ftp://x").is_err());
        assert!(webhook_url("http://127.0.0.1:0/x").is_err());
        assert!(webhook_url("https://a b").is_err());
        assert!(prefixed_id("vpc", "vpc-bp1abc", "vpc-").is_ok());
        assert!(rule_of(prefixed_id("vpc", "vsw-1", "vpc-")).starts_with("vpc: must start with"));
        assert!(year_month("month", "2026-11").is_ok());
        assert!(year_month("month", "2026-13").is_err());
        assert!(
            in_range("spec", 0, 1, 10, "CU")
                .unwrap_err()
                .to_string()
                .contains("between 1 and 10 CU")
        );
    }

    #[test]
    fn users_and_text() {
        assert!(user_name("alice.dev-01").is_ok());
        assert!(user_name(".alice").is_err());
        assert!(user_name("al ice").is_err());
        assert!(text_line("display_name", "Finance ETL", 1, 64).is_ok());
        assert!(text_line("display_name", "a\nb", 1, 64).is_err());
        assert!(text_line("display_name", "  ", 1, 64).is_err());
        assert!(text_block("description", "line1\nline2", 100).is_ok());
        assert!(text_block("description", "bell\u{7}", 100).is_err());
    }
}
