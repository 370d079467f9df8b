//! `reset-backend`: the reference backend for the password-reset widget.
//! See `--help` for the options; `lib.rs` for the code map.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use reset_backend::config::{check_test_mode_addr, Command, Config, DEMO_ADMIN_PASSWORD, USAGE};
use reset_backend::{router, AppState};

#[tokio::main]
async fn main() -> ExitCode {
    keep_large_allocations_mapped();
    let config = match Config::from_process() {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("reset-backend: {message}");
            return ExitCode::from(2);
        }
    };

    // Logs go to stderr: stdout carries only the "Listening on" line, which
    // the end-to-end tests read to learn the port.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(tracing::Level::INFO)
        .init();

    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("reset-backend: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    // Before the database is touched when the address is a plain one; again
    // below with the address actually bound (a host name).
    if let Ok(addr) = config.addr.parse() {
        check_test_mode_addr(config.test_mode, addr)?;
    }
    let state = AppState::from_config(&config)?;
    if config.test_mode {
        tracing::warn!("test mode: /api/test/* endpoints and fault injection are enabled");
    }
    let app = router(state, &config);

    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    check_test_mode_addr(config.test_mode, addr)?;
    if config.admin_password == DEMO_ADMIN_PASSWORD && !addr.ip().is_loopback() {
        tracing::warn!(
            "listening beyond this machine with the public demo admin password \
             (a new database gets it): set --admin-password or ADMIN_PASSWORD"
        );
    }
    if !addr.ip().is_loopback() && !config.secure_cookies {
        tracing::info!(
            "not on a loopback address: the session cookie is __Host-reset_session, Secure, \
             so browsers only keep it over HTTPS (put a TLS-terminating proxy in front)"
        );
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "Listening on http://{addr}/")
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())?;

    // The peer address feeds the password-recovery limit per client.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())
}

/// Ctrl-C, or SIGTERM (what test harnesses and service managers send).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// glibc's malloc raises its mmap threshold after the first large block is
/// freed, so from then on Argon2's 19 MiB blocks come from per-thread arenas
/// that keep the memory: `make loadtest` saw the resident size grow by about
/// that much per hash, to 4 GiB. A fixed threshold keeps every such block
/// mapped on its own and given back to the system when freed.
fn keep_large_allocations_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a malloc setting; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
