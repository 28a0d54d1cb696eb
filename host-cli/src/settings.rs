//! The settings of one run: the command line over the config file.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::module::{self, Limits};
use crate::output::Lang;

/// Settings of one run: the command line over the config file.
pub struct Settings {
    pub lang: Lang,
    pub jobs: usize,
    pub limits: Limits,
}

/// `locale`: the language the environment names ([`crate::terminal::env_lang`]).
pub fn settings(args: &VerifyArgs, config: &Config, locale: Option<Lang>) -> Settings {
    let from_config = match config.lang.as_deref() {
        Some("zh") => Some(Lang::Zh),
        Some(_) => Some(Lang::En),
        None => None,
    };
    let lang = args.lang.or(from_config).or(locale).unwrap_or(Lang::En);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args
        .jobs
        .map(usize::from)
        .or(config.jobs)
        .unwrap_or(cores)
        .max(1);
    let timeout = args.timeout.or(config.timeout).unwrap_or(60);
    let max_memory = args
        .max_memory
        .or(config.max_memory)
        .unwrap_or((module::DEFAULT_MAX_MEMORY >> 20) as u64)
        .clamp(1, 4096);
    Settings {
        lang,
        jobs,
        limits: Limits {
            timeout: (timeout > 0).then(|| Duration::from_secs(timeout)),
            max_memory: (max_memory as usize) << 20,
        },
    }
}

pub fn now(args: &VerifyArgs) -> Result<i64, String> {
    match args.now {
        Some(now) => Ok(now),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .map_err(|_| "the system clock is before 1970".to_string()),
    }
}
