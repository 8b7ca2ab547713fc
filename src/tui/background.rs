//! Work that runs beside the event loop — connectivity probes, webhook deliveries — and reports
//! back on a channel the loop listens to, so the console never blocks on the network.

use tokio::sync::mpsc::UnboundedSender;

use crate::domain::alert::Delivery;

use super::app::App;
use super::connectivity::ProbeDone;

#[derive(Debug)]
pub enum Done {
    Probe(ProbeDone),
    /// Outbox id → how its webhook POST went.
    Webhooks(Vec<(u64, Delivery)>),
}

impl App {
    /// Where background work reports; set by the event loop. Without it (tests), work runs
    /// inline.
    pub fn set_background(&mut self, tx: UnboundedSender<Done>) {
        self.background = Some(tx);
    }

    pub fn finished(&mut self, done: Done) {
        match done {
            Done::Probe(p) => self.finish_test(p),
            Done::Webhooks(results) => self.finish_alert(results),
        }
    }

    /// Sends a test alert on `channel`: counted and recorded at once; webhooks POSTed in the
    /// background.
    pub fn start_alert(&mut self, channel: &str) {
        let Some(s) = &self.session else { return };
        let prepared = crate::domain::alert::Channel::parse("channel", channel)
            .map_err(Into::into)
            .and_then(|ch| self.console.prepare_test_alert(s, ch));
        let prepared = match prepared {
            Ok(p) => p,
            Err(crate::console::ConsoleError::Invalid { field, reason }) => {
                if let Some(form) = &mut self.form {
                    form.show_error(Some(&field), reason);
                }
                return;
            }
            Err(e) => {
                self.form = None;
                return self.show_error(e);
            }
        };
        self.form = None;
        let refused = prepared
            .entries
            .iter()
            .filter(|(_, e)| matches!(e.delivery, Delivery::Refused(_)))
            .count();
        let sent = prepared.entries.len() - refused;
        self.toast = Some(if refused > 0 {
            format!("test alert: {sent} sent, {refused} refused: the daily limit is reached")
        } else {
            format!("test alert: {sent} sent")
        });
        let hooks = prepared.webhooks;
        if hooks.is_empty() {
            return self.refresh_in_place();
        }
        let deliver = move || {
            hooks
                .iter()
                .map(|w| {
                    let d = crate::notify::post_webhook(
                        &w.url,
                        &w.payload,
                        crate::console::WEBHOOK_TIMEOUT,
                    );
                    (w.outbox_id, d)
                })
                .collect::<Vec<_>>()
        };
        self.refresh_in_place();
        match (&self.background, tokio::runtime::Handle::try_current()) {
            (Some(tx), Ok(rt)) => {
                let tx = tx.clone();
                self.sending_alerts += 1;
                rt.spawn_blocking(move || {
                    let _ = tx.send(Done::Webhooks(deliver()));
                });
            }
            _ => {
                self.sending_alerts += 1;
                let results = deliver();
                self.finish_alert(results);
            }
        }
    }

    fn finish_alert(&mut self, results: Vec<(u64, Delivery)>) {
        self.sending_alerts = self.sending_alerts.saturating_sub(1);
        let Some(s) = &self.session else { return };
        let failed = results
            .iter()
            .filter(|(_, d)| matches!(d, Delivery::Failed(_)))
            .count();
        for (id, d) in results {
            if let Err(e) = self.console.record_alert_delivery(s, id, d) {
                return self.show_error(e);
            }
        }
        if failed > 0 {
            self.toast = Some(format!(
                "{failed} webhook alert(s) were not delivered: see the Alert outbox tab"
            ));
        }
        self.refresh_in_place();
    }
}
