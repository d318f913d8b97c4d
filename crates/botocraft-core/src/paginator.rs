//! Pagination as a `futures::Stream` of pages and of items.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use futures::future::{self, FutureExt};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::{Error, Result};

/// One page of results and the token for the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The token for the next page; `None` on the last page.
    pub next_token: Option<String>,
}

/// Something that yields results page by page.
pub trait Paginator: Send + Sized + 'static {
    /// The item type.
    type Item: Send + 'static;

    /// The pages, in order. The stream ends after the last page or the first
    /// error; a failing page is an error, never a silently shorter result.
    fn pages(self) -> BoxStream<'static, Result<Vec<Self::Item>>>;

    /// The items of every page, in order.
    fn items(self) -> BoxStream<'static, Result<Self::Item>> {
        flatten_pages(self.pages())
    }
}

/// A stream of pages, or, when they could not be started, a stream of the
/// one error that prevented them.
pub fn pages_or_error<T: Send + 'static>(
    pages: Result<BoxStream<'static, Result<Vec<T>>>>,
) -> BoxStream<'static, Result<Vec<T>>> {
    match pages {
        Ok(pages) => pages,
        Err(e) => stream::once(async { Err(e) }).boxed(),
    }
}

/// The items of a stream of pages, one by one; an error ends the stream.
pub fn flatten_pages<T: Send + 'static>(
    pages: BoxStream<'static, Result<Vec<T>>>,
) -> BoxStream<'static, Result<T>> {
    pages
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// `pages` up to and including its first error, which ends the stream: the
/// inner stream is not polled again, so no later call is made and no page
/// follows an error (a stream of several calls' pages, chained with
/// `flatten`, would otherwise go on to the next call).
pub fn until_first_error<T: Send + 'static>(
    pages: BoxStream<'static, Result<Vec<T>>>,
) -> BoxStream<'static, Result<Vec<T>>> {
    stream::unfold(Some(pages), |state| async move {
        let mut pages = state?;
        match pages.next().await? {
            Ok(page) => Some((Ok(page), Some(pages))),
            Err(e) => Some((Err(e), None)),
        }
    })
    .boxed()
}

/// Every item of every page, in order; the first error instead, never a
/// shorter list.
pub async fn collect_pages<T: Send + 'static>(
    pages: BoxStream<'static, Result<Vec<T>>>,
) -> Result<Vec<T>> {
    pages.try_concat().await
}

/// The future [`get_each`] returns. Named (not `impl Future`) so that it
/// does not capture the `get` closure, which may borrow a manager.
pub type GetEach<Fut, T> = future::Map<
    stream::TryCollect<
        stream::Buffered<stream::Iter<std::vec::IntoIter<future::Map<Fut, PresentFn<T>>>>>,
        Vec<Option<T>>,
    >,
    fn(Result<Vec<Option<T>>>) -> Result<Vec<T>>,
>;

type PresentFn<T> = fn(Result<T>) -> Result<Option<T>>;

/// How many `get` calls [`get_each`] keeps in flight.
pub const GET_CONCURRENCY: usize = 8;

/// Completes listings whose API returns only ids: `get(id)` for each, up to
/// [`GET_CONCURRENCY`] at a time, results in the order of `ids`. An id whose
/// `get` is [`Error::NotFound`] names a resource deleted between the listing
/// and its describe: it is left out, as the batch describes of other
/// listings leave out what went missing (ECS's `MISSING`), so one deletion
/// racing a listing does not fail it. Any other error fails the whole
/// listing, never a shorter list. `get` is called for every id before the
/// returned future is first polled, so it may borrow what it needs.
pub fn get_each<I, T, F, Fut>(ids: Vec<I>, get: F) -> GetEach<Fut, T>
where
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let requests: Vec<_> = ids
        .into_iter()
        .map(get)
        .map(|request| request.map(present as PresentFn<T>))
        .collect();
    stream::iter(requests)
        .buffered(GET_CONCURRENCY)
        .try_collect()
        .map(flatten_present as fn(_) -> _)
}

fn present<T>(got: Result<T>) -> Result<Option<T>> {
    match got {
        Ok(item) => Ok(Some(item)),
        Err(e) if e.is_not_found() => {
            tracing::debug!(error = %e, "a listed resource was gone when described; left out");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn flatten_present<T>(items: Result<Vec<Option<T>>>) -> Result<Vec<T>> {
    items.map(|items| items.into_iter().flatten().collect())
}

type FetchFn<T> =
    Box<dyn FnMut(Option<String>) -> Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>> + Send>;

/// A paginator driven by `nextToken`-style continuation tokens.
///
/// It stops when the service returns no token, and fails (rather than looping
/// forever) when a service hands back a token it has already seen.
pub struct TokenPaginator<T> {
    operation: &'static str,
    fetch: FetchFn<T>,
}

impl<T: Send + 'static> TokenPaginator<T> {
    /// A paginator calling `fetch(token)` for each page, starting with `None`.
    pub fn new<F, Fut>(operation: &'static str, mut fetch: F) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>>> + Send + 'static,
    {
        TokenPaginator {
            operation,
            fetch: Box::new(move |token| Box::pin(fetch(token))),
        }
    }

    /// Collects every item of every page.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        self.items().try_collect().await
    }
}

struct PagerState<T> {
    fetch: FetchFn<T>,
    operation: &'static str,
    next: Option<Option<String>>,
    seen: HashSet<String>,
}

impl<T: Send + 'static> Paginator for TokenPaginator<T> {
    type Item = T;

    fn pages(self) -> BoxStream<'static, Result<Vec<T>>> {
        let state = PagerState {
            fetch: self.fetch,
            operation: self.operation,
            next: Some(None),
            seen: HashSet::new(),
        };
        stream::unfold(state, |mut state| async move {
            let token = state.next.take()?;
            match (state.fetch)(token).await {
                Ok(page) => {
                    match page.next_token.filter(|t| !t.is_empty()) {
                        Some(t) if !state.seen.insert(t.clone()) => {
                            let err = Error::missing_in_response(
                                state.operation,
                                format!("the service repeated the page token {t:?} (the listing would never end)"),
                            );
                            return Some((Err(err), state));
                        }
                        Some(t) => state.next = Some(Some(t)),
                        None => state.next = None,
                    }
                    Some((Ok(page.items), state))
                }
                Err(err) => Some((Err(err), state)),
            }
        })
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pager(pages: Vec<Result<Page<u32>>>) -> TokenPaginator<u32> {
        let pages = std::sync::Arc::new(std::sync::Mutex::new(pages.into_iter()));
        TokenPaginator::new("ListThings", move |_token| {
            let next = pages.lock().unwrap().next();
            async move { next.expect("asked for a page after the last") }
        })
    }

    #[tokio::test]
    async fn until_first_error_polls_nothing_after_the_error() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let polled = Arc::new(AtomicUsize::new(0));
        let counter = polled.clone();
        let pages = stream::iter(vec![
            Ok(vec![1]),
            Err(Error::validation("page 2 failed")),
            Ok(vec![3]),
        ])
        .inspect(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .boxed();
        let got: Vec<Result<Vec<i32>>> = until_first_error(pages).collect().await;
        assert_eq!(got.len(), 2);
        assert!(matches!(got[0], Ok(ref p) if p == &[1]));
        assert!(got[1].is_err());
        assert_eq!(
            polled.load(Ordering::SeqCst),
            2,
            "nothing polled after the error"
        );
    }

    #[tokio::test]
    async fn walks_all_pages() {
        let p = pager(vec![
            Ok(Page {
                items: vec![1, 2],
                next_token: Some("a".into()),
            }),
            Ok(Page {
                items: vec![3],
                next_token: Some("b".into()),
            }),
            Ok(Page {
                items: vec![4],
                next_token: None,
            }),
        ]);
        assert_eq!(p.collect_all().await.unwrap(), vec![1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn a_failing_page_is_an_error_not_a_short_list() {
        let p = pager(vec![
            Ok(Page {
                items: vec![1],
                next_token: Some("a".into()),
            }),
            Ok(Page {
                items: vec![2],
                next_token: Some("b".into()),
            }),
            Err(Error::validation("page 3 broke")),
        ]);
        assert!(matches!(
            p.collect_all().await,
            Err(Error::Validation { .. })
        ));
    }

    #[tokio::test]
    async fn helpers_flatten_collect_and_report_a_failed_start() {
        let pages = || {
            pager(vec![
                Ok(Page {
                    items: vec![1, 2],
                    next_token: Some("a".into()),
                }),
                Ok(Page {
                    items: vec![3],
                    next_token: None,
                }),
            ])
            .pages()
        };
        assert_eq!(collect_pages(pages()).await.unwrap(), vec![1, 2, 3]);
        let items: Vec<u32> = flatten_pages(pages()).try_collect().await.unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        let failed: Vec<Result<Vec<u32>>> = pages_or_error(Err(Error::validation("no session")))
            .collect()
            .await;
        assert_eq!(failed.len(), 1);
        assert!(matches!(failed[0], Err(Error::Validation { .. })));
    }

    #[tokio::test]
    async fn a_repeated_token_stops_with_an_error() {
        let p = pager(vec![
            Ok(Page {
                items: vec![1],
                next_token: Some("a".into()),
            }),
            Ok(Page {
                items: vec![2],
                next_token: Some("a".into()),
            }),
        ]);
        let err = p.collect_all().await.unwrap_err();
        assert!(err.to_string().contains("repeated the page token"));
        // Not a body problem: no empty snippet in the message.
        assert!(!err.to_string().contains("body starts"), "{err}");
    }

    #[tokio::test]
    async fn get_each_keeps_the_order_of_ids_and_fails_whole() {
        // Later ids finish first; the result still follows the ids.
        let ids: Vec<u64> = (1..=20).collect();
        let got = get_each(ids.clone(), |id| async move {
            tokio::time::sleep(std::time::Duration::from_millis(20 - id)).await;
            Ok(id * 10)
        })
        .await
        .unwrap();
        assert_eq!(got, ids.iter().map(|id| id * 10).collect::<Vec<_>>());
        let err = get_each(ids, |id| async move {
            if id == 7 {
                Err(Error::validation("no such id"))
            } else {
                Ok(id)
            }
        })
        .await
        .unwrap_err();
        assert!(err.to_string().contains("no such id"), "{err}");
    }

    /// A resource deleted between the listing and its describe is left out;
    /// the others keep their order.
    #[tokio::test]
    async fn get_each_leaves_out_what_is_gone() {
        let got = get_each((1..=5).collect(), |id: u64| async move {
            if id.is_multiple_of(2) {
                Err(Error::NotFound {
                    service: "ecs",
                    resource: "TaskDefinition",
                    key: id.to_string(),
                    code: Some("ClientException".into()),
                    message: None,
                    request_id: None,
                })
            } else {
                Ok(id)
            }
        })
        .await
        .unwrap();
        assert_eq!(got, [1, 3, 5]);
    }
}
