//! Waiting for AWS: the one policy every wait uses. Look at once (the change waited for
//! has often just finished), then pause, short at first and growing to a cap, so a wait
//! of minutes costs a few dozen cheap reads and what comes next starts at most one cap
//! after AWS is ready; give up after a bound, saying what AWS last reported.

use std::time::{Duration, Instant};

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

/// How a wait looks at AWS: the first pause, the longest, and when to give up.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub first: Duration,
    pub cap: Duration,
    pub limit: Duration,
}

impl Patience {
    /// For a state AWS reaches in seconds to minutes.
    pub const fn for_state(limit: Duration) -> Self {
        Patience { first: Duration::from_secs(1), cap: Backoff::STATE_CAP, limit }
    }
}

/// What one look at AWS saw.
pub enum Look<T> {
    Ready(T),
    /// Not yet: what AWS reports instead, for the person watching.
    NotYet(String),
}

/// Why a wait ended without its state.
#[derive(Debug)]
pub enum Unmet<E> {
    /// A look failed.
    Failed(E),
    /// The limit passed; AWS last reported this.
    TimedOut { last: String },
}

impl<E: std::fmt::Display> std::fmt::Display for Unmet<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unmet::Failed(error) => error.fmt(f),
            Unmet::TimedOut { last } => write!(f, "still {last} when the wait ran out"),
        }
    }
}

/// Looks until `look` is ready, fails, or `patience.limit` passes; tells `waiting` each
/// state seen on the way.
pub async fn wait_for<T, E>(
    patience: Patience,
    mut look: impl AsyncFnMut() -> Result<Look<T>, E>,
    mut waiting: impl FnMut(&str),
) -> Result<T, Unmet<E>> {
    let started = Instant::now();
    let mut backoff = Backoff::new(patience.first, patience.cap);
    loop {
        let last = match look().await.map_err(Unmet::Failed)? {
            Look::Ready(value) => return Ok(value),
            Look::NotYet(state) => state,
        };
        let left = patience.limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Unmet::TimedOut { last });
        }
        waiting(&last);
        tokio::time::sleep(backoff.pause().min(left)).await;
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

    const QUICK: Patience =
        Patience { first: Duration::from_millis(1), cap: Duration::from_millis(2), limit: Duration::from_millis(50) };

    #[tokio::test]
    async fn a_wait_reports_each_state_until_ready() {
        let mut states = vec!["active", "provisioning", "provisioning"];
        let mut seen = Vec::new();
        let got = wait_for(
            QUICK,
            async || {
                let state = states.pop().unwrap();
                Ok::<_, ()>(if state == "active" { Look::Ready(state) } else { Look::NotYet(state.into()) })
            },
            |state| seen.push(state.to_string()),
        )
        .await;
        assert_eq!(got.unwrap(), "active");
        assert_eq!(seen, ["provisioning", "provisioning"]);
    }

    #[tokio::test]
    async fn a_wait_gives_up_at_its_limit_with_the_last_state() {
        let started = Instant::now();
        let got = wait_for(QUICK, async || Ok::<Look<()>, ()>(Look::NotYet("pending".into())), |_| {}).await;
        assert!(matches!(got, Err(Unmet::TimedOut { last }) if last == "pending"));
        assert!(started.elapsed() >= QUICK.limit);
    }
}
