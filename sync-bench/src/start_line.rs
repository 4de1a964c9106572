//! The start line: threads park here until every participant is spawned,
//! then all are released at once. Unlike `std::sync::Barrier` it can be
//! called off, so a failed spawn never leaves parked threads behind.

use std::sync::{Condvar, Mutex, PoisonError};

#[derive(Default)]
struct State {
    parked: usize,
    open: Option<bool>,
}

/// Where participants wait for the coordinator's signal.
#[derive(Default)]
pub struct StartLine {
    state: Mutex<State>,
    changed: Condvar,
}

impl StartLine {
    /// Parks until the line opens; false if the start was called off.
    pub fn wait(&self) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.parked += 1;
        self.changed.notify_all();
        loop {
            if let Some(go) = s.open {
                return go;
            }
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Waits until `participants` are parked, then releases them.
    pub fn open_when_parked(&self, participants: usize) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while s.parked < participants {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        s.open = Some(true);
        self.changed.notify_all();
    }

    /// Releases everyone parked now or later with "called off".
    pub fn call_off(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.open = Some(false);
        self.changed.notify_all();
    }
}
