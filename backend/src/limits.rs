//! The numbers the reset contract promises, in a leaf module so that the
//! command line (`config`) and the routes can both read them without one
//! importing the other.

/// Most resets in one `POST /api/password-resets` (more is a 413).
pub const MAX_RESETS: usize = 40;
/// Most addresses in `deliverTo`.
pub const MAX_RECIPIENTS: usize = 20;

/// Hours a temporary password (an admin reset with
/// `forceChangePasswordNextSignIn`) stays usable, unless
/// `--temporary-password-hours` says otherwise.
pub const DEFAULT_TEMPORARY_PASSWORD_HOURS: u32 = 72;
/// Requests to `/api/password-recovery/codes` and `/verifications` per
/// client address within [`DEFAULT_RECOVERY_CLIENT_WINDOW_SECS`] before 429.
pub const DEFAULT_RECOVERY_CLIENT_LIMIT: u32 = 30;
pub const DEFAULT_RECOVERY_CLIENT_WINDOW_SECS: u64 = 10 * 60;
/// Minutes without a request after which a session ends (besides its
/// absolute lifetime), unless `--session-idle-minutes` says otherwise.
pub const DEFAULT_SESSION_IDLE_MINUTES: u32 = 30;
/// Minutes after an administrator confirms their own password
/// (`POST /api/session/step-up`) during which their session may reset
/// another administrator's password, unless `--step-up-minutes` says otherwise.
pub const DEFAULT_STEP_UP_MINUTES: u32 = 5;
