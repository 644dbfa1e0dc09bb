//! The pauses between polls of AWS state: short at first, when the change being waited
//! for has often just finished, then growing to a cap, so a wait of minutes costs a few
//! dozen calls and the next step starts at most one cap after its dependency is ready.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    cap: Duration,
}

impl Backoff {
    /// How long waits for AWS state (a load balancer active or gone) pause at most: the
    /// next step starts within 2 s of AWS being ready, and the minutes a new load
    /// balancer takes cost one cheap read every 2 s.
    pub const STATE_CAP: Duration = Duration::from_secs(2);

    pub fn new(first: Duration, cap: Duration) -> Self {
        Backoff { next: first.min(cap), cap }
    }

    /// The pause before the next poll; each is twice the one before, up to the cap.
    pub fn pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(self.cap);
        pause
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap() {
        let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(3));
        let pauses: Vec<u128> = (0..5).map(|_| backoff.pause().as_millis()).collect();
        assert_eq!(pauses, [500, 1000, 2000, 3000, 3000]);
    }
}
