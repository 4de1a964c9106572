//! How a channel crate with both a bounded and an unbounded constructor is
//! adapted, on threads and tasks alike.

/// `bounded(n)` for a capacity of `Some(n)`, else `unbounded()`.
pub(crate) fn by_capacity<P>(
    capacity: Option<usize>,
    bounded: impl FnOnce(usize) -> P,
    unbounded: impl FnOnce() -> P,
) -> P {
    match capacity {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}
