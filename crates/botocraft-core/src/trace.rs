//! One `tracing` span per method call, around the spans of the AWS calls it
//! makes.
//!
//! A manager request (`Instance::objects().list()`), a model method
//! (`service.save()`, `group.delete()`, `service.wait_until_stable()`) or a
//! hand-written method may make several AWS calls: pages, batches of keys,
//! the describe that completes a listing, the tag writes and follow-ups of a
//! `save()`, a waiter's polls. Each of those calls is a `botocraft` span of
//! its own (see the transport); this module wraps the whole method in one
//! DEBUG span, `botocraft.method`, with fields `service`, `model` and
//! `method`, so that a trace groups a method's calls under it. A method that
//! calls another (a `save()` that creates through the manager) nests its span.
//!
//! Generated code only calls [`method`] and [`stream`]: the span is made by
//! one non-generic function and entered by a small wrapper, so a method pays
//! a few bytes of code for it.
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core as core; }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let answer = botocraft::core::trace::method("ecs", "Service", "save", Box::pin(async { 42 })).await;
//! assert_eq!(answer, 42);
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use tracing::Span;

/// The span of one method call: `botocraft.method` at DEBUG level, a child of
/// the current span.
#[inline(never)]
pub fn method_span(service: &'static str, model: &'static str, method: &'static str) -> Span {
    tracing::debug_span!("botocraft.method", service, model, method)
}

/// What a request's `send()` and a model method such as `save()` return: the
/// method's work, run inside its [`method_span`]. `.await` it.
pub type MethodFuture<'a, T> = InMethod<BoxFuture<'a, T>>;

/// `future` run inside a new [`method_span`]: every span it opens (each AWS
/// call's `botocraft` span) is a child of it.
#[inline(never)]
pub fn method<'a, T>(
    service: &'static str,
    model: &'static str,
    method: &'static str,
    future: BoxFuture<'a, T>,
) -> MethodFuture<'a, T> {
    InMethod {
        span: MethodSpan::open(service, model, method),
        inner: future,
    }
}

/// `stream` polled inside a new [`method_span`] (the pages of a listing read
/// with `.pages()` or `.stream()`): the calls made for each page are children
/// of the one span.
#[inline(never)]
pub fn stream<T: 'static>(
    service: &'static str,
    model: &'static str,
    method: &'static str,
    stream: BoxStream<'static, T>,
) -> BoxStream<'static, T> {
    InMethod {
        span: MethodSpan::open(service, model, method),
        inner: stream,
    }
    .boxed()
}

/// A method's span. Entering, leaving and dropping it are compiled once, in
/// the non-generic functions below, not once per method.
struct MethodSpan(std::mem::ManuallyDrop<Span>);

impl MethodSpan {
    fn open(service: &'static str, model: &'static str, method: &'static str) -> Self {
        MethodSpan(std::mem::ManuallyDrop::new(method_span(
            service, model, method,
        )))
    }

    #[inline(never)]
    fn enter(&self) -> Entered<'_> {
        self.0
            .with_subscriber(|(id, subscriber)| subscriber.enter(id));
        Entered(self)
    }
}

impl Drop for MethodSpan {
    #[inline(never)]
    fn drop(&mut self) {
        // Closes the span here rather than in each wrapper's drop glue (the
        // `Span::none()` left in its place holds nothing).
        let span = std::mem::replace(&mut self.0, std::mem::ManuallyDrop::new(Span::none()));
        drop(std::mem::ManuallyDrop::into_inner(span));
    }
}

/// Leaves the span when dropped, however the poll ends.
struct Entered<'a>(&'a MethodSpan);

impl Drop for Entered<'_> {
    #[inline(never)]
    fn drop(&mut self) {
        (self.0)
            .0
            .with_subscriber(|(id, subscriber)| subscriber.exit(id));
    }
}

/// A boxed future or stream polled inside a method's span: see [`method`]
/// and [`stream`].
#[must_use = "a method does nothing until it is awaited"]
pub struct InMethod<I> {
    span: MethodSpan,
    inner: I,
}

impl<I> std::fmt::Debug for InMethod<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMethod")
            .field("span", &*self.span.0)
            .finish()
    }
}

impl<T> Future for InMethod<BoxFuture<'_, T>> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let _entered = this.span.enter();
        this.inner.as_mut().poll(cx)
    }
}

impl<T> Stream for InMethod<BoxStream<'_, T>> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let _entered = this.span.enter();
        this.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

/// For hand-written methods: `future` (the method's body, an `async` block)
/// run inside a new [`method_span`].
pub async fn in_method<T>(
    service: &'static str,
    model: &'static str,
    method: &'static str,
    future: impl Future<Output = crate::Result<T>>,
) -> crate::Result<T> {
    use tracing::Instrument;
    future.instrument(method_span(service, model, method)).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures::stream;

    use super::*;
    use crate::waiter::{Acceptor, Waiter};

    /// The name of the span the code runs in.
    fn current() -> &'static str {
        Span::current().metadata().map_or("none", |m| m.name())
    }

    /// Runs `f` on a current-thread runtime under a DEBUG subscriber.
    fn traced<T>(f: impl Future<Output = T>) -> T {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(std::io::sink)
            .finish();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        tracing::subscriber::with_default(subscriber, || runtime.block_on(f))
    }

    #[test]
    fn a_method_future_runs_in_its_span() {
        traced(async {
            let inside = method("ecs", "Service", "save", Box::pin(async { current() })).await;
            assert_eq!(inside, "botocraft.method");
            assert_eq!(current(), "none");
        });
    }

    #[test]
    fn a_method_stream_is_polled_in_its_span() {
        traced(async {
            let pages = stream::iter([1, 2]).then(|_| async { current() }).boxed();
            let seen: Vec<_> = stream("ec2", "Instance", "list", pages).collect().await;
            assert_eq!(seen, ["botocraft.method", "botocraft.method"]);
        });
    }

    #[test]
    fn a_hand_written_method_runs_in_its_span() {
        traced(async {
            let inside = in_method("ecs", "Service", "scale_and_wait", async {
                Ok::<_, crate::Error>(current())
            })
            .await
            .unwrap();
            assert_eq!(inside, "botocraft.method");
        });
    }

    #[test]
    fn a_named_waiter_polls_in_its_span() {
        const ACCEPTORS: &[Acceptor] = &[Acceptor {
            matcher: "path",
            argument: "ready",
            state: "success",
            expected: "true",
        }];
        traced(async {
            let poll = || async { Ok(serde_json::json!({ "ready": true, "span": current() })) };
            let named = Waiter::new("Describe", ACCEPTORS, Duration::ZERO, 2, poll)
                .method("ecs", "Service", "wait_until_stable")
                .await
                .unwrap();
            assert_eq!(named["span"], "botocraft.method");
            // Without a method named, nothing wraps the polls.
            let unnamed = Waiter::new("Describe", ACCEPTORS, Duration::ZERO, 2, poll)
                .await
                .unwrap();
            assert_eq!(unnamed["span"], "none");
        });
    }
}
