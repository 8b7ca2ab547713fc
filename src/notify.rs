//! Alert delivery over the network: a webhook is a JSON POST with a timeout. No store and no
//! authorization here; the console counts, authorizes and records.

use std::time::Duration;

use crate::domain::alert::Delivery;

/// Posts `payload` to `url`; the answer's status, or why there was none.
pub fn post_webhook(url: &str, payload: &serde_json::Value, limit: Duration) -> Delivery {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(limit))
        // A non-2xx answer is an outcome to record, not an error to unwrap.
        .http_status_as_error(false)
        .build()
        .new_agent();
    let body = payload.to_string();
    match agent
        .post(url)
        .header("content-type", "application/json")
        .send(body.as_bytes())
    {
        Ok(resp) if resp.status().is_success() => Delivery::Delivered(resp.status().as_u16()),
        Ok(resp) => Delivery::Failed(format!("HTTP {}", resp.status())),
        Err(e) => Delivery::Failed(e.to_string()),
    }
}
