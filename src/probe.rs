//! Connectivity tests for real (DESIGN §3): resolve the host, connect with a timeout, and for
//! PostgreSQL and MySQL speak the protocol — handshake, authentication, `SELECT 1`. No store
//! and no authorization here: the console decides whether a test may run and records what it
//! found. Every await is bounded, so a port that accepts and never answers ends in seconds.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::domain::datasource::Connectivity;

/// How far a probe goes once the TCP connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Postgres,
    MySql,
    /// Reachability only: the type has no protocol check here.
    Tcp,
}

/// Everything a probe needs, secrets included: built by the console, dropped after the probe.
#[derive(Clone)]
pub struct ProbeRequest {
    pub protocol: Protocol,
    /// Tried in order; the first that connects is probed.
    pub endpoints: Vec<(String, u16)>,
    pub database: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub limits: Limits,
}

impl std::fmt::Debug for ProbeRequest {
    // The password never reaches a log or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeRequest")
            .field("protocol", &self.protocol)
            .field("endpoints", &self.endpoints)
            .field("database", &self.database)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "••••"))
            .finish()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub resolve: Duration,
    pub connect: Duration,
    /// Handshake, authentication and `SELECT 1` together.
    pub protocol: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            resolve: Duration::from_secs(3),
            connect: Duration::from_secs(3),
            protocol: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    pub result: Connectivity,
    pub steps: Vec<String>,
}

struct Log(Vec<String>);

impl Log {
    fn step(&mut self, s: impl Into<String>) {
        self.0.push(s.into());
    }

    fn end(self, result: Connectivity) -> ProbeReport {
        ProbeReport {
            result,
            steps: self.0,
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Runs the probe. Never panics and never waits longer than the limits allow per endpoint.
pub async fn probe(req: &ProbeRequest) -> ProbeReport {
    let mut log = Log(Vec::new());
    if req.endpoints.is_empty() {
        log.step("no host and port to connect to");
        return log.end(Connectivity::ConfigError);
    }
    let mut last_failure = Connectivity::Unreachable;
    for (host, port) in &req.endpoints {
        let Some(addrs) = resolve(&mut log, host, *port, req.limits.resolve).await else {
            continue;
        };
        let Some(stream) = connect(&mut log, &addrs, req.limits.connect).await else {
            continue;
        };
        let outcome = match req.protocol {
            Protocol::Tcp => {
                log.step("TCP reachable; this type has no protocol check, so no log-on was tried");
                Connectivity::Connectable
            }
            Protocol::Postgres => postgres(&mut log, req, host, stream).await,
            Protocol::MySql => {
                // mysql_async opens its own connection; ours proved the route.
                drop(stream);
                mysql(&mut log, req, host, *port).await
            }
        };
        if outcome == Connectivity::Connectable {
            return log.end(outcome);
        }
        last_failure = outcome;
    }
    log.end(last_failure)
}

async fn resolve(log: &mut Log, host: &str, port: u16, limit: Duration) -> Option<Vec<SocketAddr>> {
    match timeout(limit, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                log.step(format!("resolve {host}: no addresses"));
                return None;
            }
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            log.step(format!("resolve {host}: {}", shown.join(", ")));
            Some(addrs)
        }
        Ok(Err(e)) => {
            log.step(format!("resolve {host}: failed ({e})"));
            None
        }
        Err(_) => {
            log.step(format!("resolve {host}: no answer within {}", secs(limit)));
            None
        }
    }
}

async fn connect(log: &mut Log, addrs: &[SocketAddr], limit: Duration) -> Option<TcpStream> {
    for addr in addrs {
        match timeout(limit, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                log.step(format!("connect {addr}: connected"));
                return Some(s);
            }
            Ok(Err(e)) => log.step(format!("connect {addr}: {e}")),
            Err(_) => log.step(format!("connect {addr}: timed out after {}", secs(limit))),
        }
    }
    None
}

async fn postgres(
    log: &mut Log,
    req: &ProbeRequest,
    host: &str,
    stream: TcpStream,
) -> Connectivity {
    let mut config = tokio_postgres::Config::new();
    config
        .host(host)
        .user(req.username.as_deref().unwrap_or_default())
        .dbname(req.database.as_deref().unwrap_or("postgres"))
        .application_name("dwc connectivity test");
    if let Some(p) = &req.password {
        config.password(p);
    }
    let limit = req.limits.protocol;
    let attempt = async {
        let (client, connection) = config
            .connect_raw(stream, tokio_postgres::NoTls)
            .await
            .map_err(|e| ("log on", e))?;
        // The connection task drives the socket; it ends when the client is dropped.
        let driver = tokio::spawn(connection);
        let rows = client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| ("SELECT 1", e));
        drop(client);
        driver.abort();
        rows
    };
    match timeout(limit, attempt).await {
        Ok(Ok(_)) => {
            log.step("PostgreSQL: logged on, SELECT 1 answered");
            Connectivity::Connectable
        }
        Ok(Err((what, e))) => {
            let detail = e
                .as_db_error()
                .map(|d| format!("{} ({})", d.message(), d.code().code()))
                .unwrap_or_else(|| e.to_string());
            log.step(format!("PostgreSQL {what}: {detail}"));
            if e.as_db_error().is_some() {
                // The server answered: the host is right, the settings are not.
                Connectivity::ConfigError
            } else {
                Connectivity::Unreachable
            }
        }
        Err(_) => {
            log.step(format!(
                "PostgreSQL: no answer to the handshake within {}",
                secs(limit)
            ));
            Connectivity::Unreachable
        }
    }
}

async fn mysql(log: &mut Log, req: &ProbeRequest, host: &str, port: u16) -> Connectivity {
    use mysql_async::prelude::Queryable;
    let opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(host)
        .tcp_port(port)
        .user(req.username.clone())
        .pass(req.password.clone())
        .db_name(req.database.clone())
        .prefer_socket(false);
    let limit = req.limits.protocol;
    let attempt = async {
        let mut conn = mysql_async::Conn::new(opts)
            .await
            .map_err(|e| ("log on", e))?;
        let one: Option<u8> = conn
            .query_first("SELECT 1")
            .await
            .map_err(|e| ("SELECT 1", e))?;
        let _ = conn.disconnect().await;
        Ok::<_, (&str, mysql_async::Error)>(one)
    };
    match timeout(limit, attempt).await {
        Ok(Ok(Some(1))) => {
            log.step("MySQL: logged on, SELECT 1 answered");
            Connectivity::Connectable
        }
        Ok(Ok(other)) => {
            log.step(format!("MySQL: SELECT 1 answered {other:?}"));
            Connectivity::ConfigError
        }
        Ok(Err((what, mysql_async::Error::Server(e)))) => {
            log.step(format!("MySQL {what}: {} ({})", e.message, e.code));
            Connectivity::ConfigError
        }
        Ok(Err((what, e))) => {
            log.step(format!("MySQL {what}: {e}"));
            Connectivity::Unreachable
        }
        Err(_) => {
            log.step(format!(
                "MySQL: no answer to the handshake within {}",
                secs(limit)
            ));
            Connectivity::Unreachable
        }
    }
}

/// Runs a probe to its end on a runtime of its own (the CLI; tests).
pub fn probe_blocking(req: &ProbeRequest) -> ProbeReport {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(probe(req)),
        Err(e) => ProbeReport {
            result: Connectivity::Unreachable,
            steps: vec![format!("could not start the network runtime: {e}")],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(protocol: Protocol, endpoints: Vec<(String, u16)>) -> ProbeRequest {
        ProbeRequest {
            protocol,
            endpoints,
            database: None,
            username: Some("u".into()),
            password: Some("secret".into()),
            limits: Limits {
                resolve: Duration::from_secs(2),
                connect: Duration::from_secs(2),
                protocol: Duration::from_millis(500),
            },
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[test]
    fn refused_is_unreachable() {
        let r = probe_blocking(&req(Protocol::Tcp, vec![("127.0.0.1".into(), free_port())]));
        assert_eq!(r.result, Connectivity::Unreachable, "{:?}", r.steps);
        assert!(r.steps.last().unwrap().contains("refused"), "{:?}", r.steps);
    }

    #[test]
    fn a_listening_port_is_reachable_over_tcp() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let r = probe_blocking(&req(Protocol::Tcp, vec![("127.0.0.1".into(), port)]));
        assert_eq!(r.result, Connectivity::Connectable, "{:?}", r.steps);
    }

    #[test]
    fn a_port_that_accepts_and_never_answers_times_out() {
        // The listener's backlog accepts the connection; nobody ever speaks.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        for protocol in [Protocol::Postgres, Protocol::MySql] {
            let r = probe_blocking(&req(protocol, vec![("127.0.0.1".into(), port)]));
            assert_eq!(r.result, Connectivity::Unreachable, "{:?}", r.steps);
            assert!(
                r.steps.last().unwrap().contains("no answer"),
                "{protocol:?}: {:?}",
                r.steps
            );
        }
    }

    #[test]
    fn an_unresolvable_host_is_unreachable() {
        let r = probe_blocking(&req(
            Protocol::Tcp,
            vec![("no-such-host.invalid".into(), 5432)],
        ));
        assert_eq!(r.result, Connectivity::Unreachable);
        assert!(
            r.steps[0].starts_with("resolve no-such-host.invalid"),
            "{:?}",
            r.steps
        );
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let r = req(Protocol::Postgres, vec![]);
        assert!(!format!("{r:?}").contains("secret"));
    }
}
