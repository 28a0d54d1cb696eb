//! `piaoyan completions SHELL` and `piaoyan man`: made from the clap
//! definitions of [`crate::cli`], so they never drift from the options.

use std::io::{self, Write};

use crate::cli::command;
use crate::{EXIT_USAGE, EXIT_VALID};

/// The shells completions are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

impl Shell {
    fn generator(self) -> clap_complete::Shell {
        match self {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
        }
    }
}

/// The completion script of `shell` on standard output.
pub(crate) fn completions(shell: Shell) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell.generator(), &mut command(), "piaoyan", &mut script);
    written(&script)
}

/// The manual page (roff) on standard output.
pub(crate) fn man() -> u8 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(command()).render(&mut page) {
        Ok(()) => written(&page),
        Err(e) => {
            eprintln!("piaoyan: cannot make the manual page: {e}");
            EXIT_USAGE
        }
    }
}

fn written(bytes: &[u8]) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_VALID,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_USAGE,
        Err(e) => {
            eprintln!("piaoyan: cannot write the output: {e}");
            EXIT_USAGE
        }
    }
}
