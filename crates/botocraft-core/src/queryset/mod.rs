//! The eager, Django-style QuerySet. (Being filled in.)

/// An eager list of models with Django-style helpers.
#[derive(Debug, Clone, PartialEq)]
pub struct QuerySet<M> {
    items: Vec<M>,
}

impl<M> QuerySet<M> {
    /// A QuerySet over `items`.
    pub fn new(items: Vec<M>) -> Self {
        QuerySet { items }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items as a `Vec`.
    pub fn into_vec(self) -> Vec<M> {
        self.items
    }

    /// Iterates the items.
    pub fn iter(&self) -> std::slice::Iter<'_, M> {
        self.items.iter()
    }
}

impl<M> Default for QuerySet<M> {
    fn default() -> Self {
        QuerySet { items: Vec::new() }
    }
}
