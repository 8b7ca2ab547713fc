//! Test alerts (seed 000, alert resources): every one counts against its channel's daily limit,
//! sending stops at the limit with the refusal counted, webhooks really POST JSON, and SMS,
//! phone and e-mail land in the outbox.

#[path = "common/cli.rs"]
mod cli;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use cli::Dwc;

/// A one-request HTTP server on loopback: answers `status` and hands over the request body.
fn webhook_server(status: u16) -> (String, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/dwc", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
        )
        .unwrap();
        tx.send((request_line, String::from_utf8(body).unwrap()))
            .unwrap();
    });
    (url, rx)
}

#[test]
fn limits_stop_sending_and_count_refusals() {
    let d = Dwc::init("enterprise");
    d.ok(&[
        "alert",
        "contact",
        "create",
        "ops",
        "--phone",
        "+86 13800000001",
    ]);
    d.ok(&[
        "alert",
        "contact",
        "create",
        "dba",
        "--phone",
        "+86 13800000002",
    ]);
    d.ok(&["alert", "limit", "--channel", "sms", "--per-day", "3"]);

    let first = d
        .ok(&["-o", "json", "alert", "test", "--channel", "sms"])
        .json();
    assert_eq!(first.as_array().unwrap().len(), 2);
    assert!(
        first
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["delivery"] == "recorded")
    );

    // The third fits; the fourth is refused and sending stops with a clear message.
    let second = d.run(&["-o", "json", "alert", "test", "--channel", "sms"]);
    assert_eq!(second.code, 5, "{}", second.stderr);
    assert!(
        second.stderr.contains(
            "sending stopped: the daily sms limit is reached (3 sent today, 1 refused today)"
        ),
        "{}",
        second.stderr
    );
    let outcomes: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(outcomes[0]["delivery"], "recorded");
    assert_eq!(
        outcomes[1]["delivery"],
        "refused: the daily sms limit of 3 is reached"
    );

    let usage = d.ok(&["-o", "json", "alert", "show"]).json();
    let sms = usage
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "sms")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &sms["sent_today"],
            &sms["refused_today"],
            &sms["sent_this_month"]
        ),
        (&3.into(), &1.into(), &3.into())
    );
    // Phone calls have their own counter; both reach the outbox, newest first.
    d.ok(&["alert", "test", "--channel", "phone"]);
    let outbox = d.ok(&["-o", "json", "alert", "outbox"]).json();
    assert_eq!(outbox.as_array().unwrap().len(), 6);
    assert_eq!(outbox[0]["channel"], "phone");

    let no_email = d.run(&["alert", "test", "--channel", "email"]);
    assert_eq!(no_email.code, 5);
    assert!(
        no_email
            .stderr
            .contains("channel: no alert contact has an e-mail address"),
        "{}",
        no_email.stderr
    );
    let bad = d.run(&["alert", "test", "--channel", "pigeon"]);
    assert_eq!(bad.code, 5);
    assert!(
        bad.stderr
            .contains("channel: must be sms, phone, email or webhook")
    );
}

#[test]
fn webhooks_post_json_to_the_contact() {
    let d = Dwc::init("enterprise");
    let (url, received) = webhook_server(200);
    d.ok(&["alert", "contact", "create", "hook", "--webhook", &url]);
    let sent = d
        .ok(&["-o", "json", "alert", "test", "--channel", "webhook"])
        .json();
    assert_eq!(sent[0]["delivery"], "delivered (HTTP 200)");
    let (request_line, body) = received.recv().unwrap();
    assert!(
        request_line.starts_with("POST /hooks/dwc "),
        "{request_line}"
    );
    let payload: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["event"], "dwc.test_alert");
    assert_eq!(payload["tenant"], "acme");
    assert_eq!(payload["contact"], "hook");

    // A receiver that answers 500, and one nobody listens on: recorded as failed, exit 5.
    let (url500, _rx) = webhook_server(500);
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/gone", l.local_addr().unwrap())
    };
    d.ok(&["alert", "contact", "delete", "hook"]);
    d.ok(&["alert", "contact", "create", "h500", "--webhook", &url500]);
    d.ok(&["alert", "contact", "create", "hdead", "--webhook", &dead]);
    let o = d.run(&["-o", "json", "alert", "test", "--channel", "webhook"]);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr.contains("2 webhook alert(s) were not delivered"),
        "{}",
        o.stderr
    );
    let outbox = d.ok(&["-o", "json", "alert", "outbox"]).json();
    let delivery = |name: &str| {
        outbox
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()["delivery"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(delivery("h500"), "failed: HTTP 500 Internal Server Error");
    assert!(
        delivery("hdead").starts_with("failed:"),
        "{}",
        delivery("hdead")
    );
    // Failed deliveries were sent, so they count.
    let usage = d.ok(&["-o", "json", "alert", "show"]).json();
    let hook = usage
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "webhook")
        .unwrap()
        .clone();
    assert_eq!(hook["sent_today"], 3);
}
