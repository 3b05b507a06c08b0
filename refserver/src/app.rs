//! The state every handler shares. Its own module so that the handlers (`ec`, `merchant`,
//! `payu`, `sandbox`) and the route table in `server` do not import each other in a ring.

use std::sync::Arc;

use crate::config::ServerConfig;
use crate::store::Store;

/// What every handler shares: the configuration, the state and the callback client.
#[derive(Debug)]
pub struct App {
    /// The configuration the server was started with.
    pub config: ServerConfig,
    /// The in-memory state.
    pub store: Store,
    /// The client that posts S2S callbacks (no redirects followed); `None` if it could not
    /// be built, in which case no callback is delivered.
    pub callbacks: Option<reqwest::Client>,
}

/// The shared state handlers receive.
pub type AppState = Arc<App>;
