//! What the engine tells the edge while it works. The engine knows nothing of
//! terminals: it reports steps, and the edge decides how they look.

/// One unit of work: a change of the plan (by its index), or the wait between
/// creating the load balancer and building the endpoint service on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Change(usize),
    WaitForLoadBalancer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Started(Step),
    /// A waiting step's latest observation, e.g. the load balancer's state.
    Waiting(Step, String),
    Finished(Step),
    Failed(Step, String),
}

pub trait Reporter {
    fn report(&self, event: Event);
}
