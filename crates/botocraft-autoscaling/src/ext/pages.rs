//! The pages of a `get_many` whose names go in several calls.

use botocraft_core::Result;
use futures::stream::BoxStream;
use futures::StreamExt;

/// A stream of pages, boxed.
pub(crate) type Pages<T> = BoxStream<'static, Result<Vec<T>>>;

/// The pages of `pages_of(chunk)` for each chunk in turn (each chunk's call
/// made only when the stream gets there). The first error is the stream's
/// last item: nothing is polled after it, so no later page or chunk is
/// asked of AWS and no result follows an error.
pub(crate) fn chunk_pages<T, F>(chunks: Vec<Vec<String>>, pages_of: F) -> Pages<T>
where
    T: Send + 'static,
    F: FnMut(Vec<String>) -> Pages<T> + Send + 'static,
{
    botocraft_core::paginator::until_first_error(
        futures::stream::iter(chunks)
            .map(pages_of)
            .flatten()
            .boxed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use botocraft_core::Error;
    use futures::TryStreamExt;
    use std::sync::{Arc, Mutex};

    /// Each chunk's stream: its pages, made only when polled, recorded in
    /// `calls` as they are made.
    fn recorded(
        calls: Arc<Mutex<Vec<String>>>,
        fail: &'static str,
    ) -> impl FnMut(Vec<String>) -> Pages<String> + Send + 'static {
        move |chunk: Vec<String>| {
            let calls = calls.clone();
            futures::stream::iter(chunk)
                .then(move |name| {
                    let calls = calls.clone();
                    async move {
                        calls.lock().unwrap().push(name.clone());
                        if name == fail {
                            Err(Error::validation(format!("page {name} failed")))
                        } else {
                            Ok(vec![name])
                        }
                    }
                })
                .boxed()
        }
    }

    fn chunks(names: &[&[&str]]) -> Vec<Vec<String>> {
        names
            .iter()
            .map(|c| c.iter().map(|n| n.to_string()).collect())
            .collect()
    }

    #[tokio::test]
    async fn every_page_of_every_chunk_in_order() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let pages: Vec<Vec<String>> = chunk_pages(
            chunks(&[&["a", "b"], &[], &["c"]]),
            recorded(calls.clone(), ""),
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(pages, [["a"], ["b"], ["c"]]);
        assert_eq!(*calls.lock().unwrap(), ["a", "b", "c"]);
    }

    #[tokio::test]
    async fn the_first_error_ends_the_stream_with_no_later_call() {
        // The last page of the first chunk fails: the next chunk is never
        // asked for, and nothing follows the error.
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<Result<Vec<String>>> =
            chunk_pages(chunks(&[&["a", "b"], &["c"]]), recorded(calls.clone(), "b"))
                .collect()
                .await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap(), &["a"]);
        assert!(items[1].is_err(), "{items:?}");
        assert_eq!(*calls.lock().unwrap(), ["a", "b"]);
        // A failing first page of a chunk: its later pages are not asked for.
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<Result<Vec<String>>> =
            chunk_pages(chunks(&[&["x", "y"], &["z"]]), recorded(calls.clone(), "x"))
                .collect()
                .await;
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(*calls.lock().unwrap(), ["x"]);
    }
}
