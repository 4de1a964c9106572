//! Async building blocks shared by the async runtimes (filled in by the async runtimes issue).
