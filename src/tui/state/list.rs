//! One list state for every list view (review queue, triage, and the views to come): the
//! loaded rows, the selection, the next page's cursor and the request in flight.

/// A row the list can find again after a reload.
pub trait Keyed {
    fn key(&self) -> &str;
}

/// What the page in flight is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fill {
    /// The first page (replacing), or the next one (appending).
    #[default]
    Forward,
    /// The last rows of the list (`G`): they replace what is loaded.
    Tail,
    /// The rows before the first loaded one (moving up from the end).
    Prepend,
}

#[derive(Debug, Clone)]
pub struct ListState<T> {
    items: Vec<T>,
    selected: usize,
    next: Option<String>,
    /// Cursor of the rows before the first loaded one (after a jump to the end).
    prev: Option<String>,
    req: u64,
    loading: bool,
    fill: Fill,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            items: Vec::new(),
            selected: 0,
            next: None,
            prev: None,
            req: 0,
            loading: false,
            fill: Fill::Forward,
        }
    }
}

impl<T: Keyed> ListState<T> {
    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_item(&self) -> Option<&T> {
        self.items.get(self.selected)
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected_item().map(Keyed::key)
    }

    pub fn next_cursor(&self) -> Option<&str> {
        self.next.as_deref()
    }

    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }

    pub fn loading(&self) -> bool {
        self.loading
    }

    pub fn req(&self) -> u64 {
        self.req
    }

    pub fn prev_cursor(&self) -> Option<&str> {
        self.prev.as_deref()
    }

    /// Rows before the loaded ones exist (the list was entered from its end).
    pub fn has_prev(&self) -> bool {
        self.prev.is_some()
    }

    /// What the request in flight is for.
    pub fn fill(&self) -> Fill {
        self.fill
    }

    /// A page request went out: answers to older ones are stale from now on.
    pub fn begin_load(&mut self, req: u64) {
        self.begin_fill(req, Fill::Forward);
    }

    /// A page request for `fill` went out.
    pub fn begin_fill(&mut self, req: u64, fill: Fill) {
        self.req = req;
        self.loading = true;
        self.fill = fill;
    }

    /// Whether an answer belongs to the request in flight.
    pub fn is_current(&self, req: u64) -> bool {
        req == self.req
    }

    /// The request failed: nothing is loading any more.
    pub fn load_failed(&mut self) {
        self.loading = false;
    }

    /// Put a fresh first page in place. The selection follows its order if it is still
    /// listed, else stays at the same position (the next order moves up under it).
    /// Returns whether the selected order changed.
    pub fn replace(&mut self, items: Vec<T>, next: Option<String>) -> bool {
        let before = self.selected_key().map(str::to_string);
        let at = self.selected;
        self.items = items;
        self.next = next;
        self.prev = None;
        self.loading = false;
        self.selected = before
            .as_deref()
            .and_then(|k| self.items.iter().position(|r| r.key() == k))
            .unwrap_or(at)
            .min(self.items.len().saturating_sub(1));
        self.selected_key().map(str::to_string) != before
    }

    /// Put the last rows of the list in place (`prev` reaches the rows before them). The
    /// selection follows its order if it is among them, else goes to the last row.
    /// Returns whether the selected order changed.
    pub fn replace_tail(&mut self, items: Vec<T>, prev: Option<String>) -> bool {
        let before = self.selected_key().map(str::to_string);
        self.items = items;
        self.next = None;
        self.prev = prev;
        self.loading = false;
        self.fill = Fill::Forward;
        self.selected = before
            .as_deref()
            .and_then(|k| self.items.iter().position(|r| r.key() == k))
            .unwrap_or(usize::MAX)
            .min(self.items.len().saturating_sub(1));
        self.selected_key().map(str::to_string) != before
    }

    /// Put the rows before the loaded ones in front; the selection stays on its row.
    pub fn prepend(&mut self, mut items: Vec<T>, prev: Option<String>) {
        self.selected += items.len();
        items.append(&mut self.items);
        self.items = items;
        self.prev = prev;
        self.loading = false;
        self.fill = Fill::Forward;
    }

    /// Whether the selection is close enough to the start to fetch the rows before it.
    pub fn wants_prev(&self, margin: usize) -> bool {
        !self.loading && self.prev.is_some() && self.selected < margin
    }

    /// Add the next page; the selection stays where it is.
    pub fn append(&mut self, items: Vec<T>, next: Option<String>) {
        self.items.extend(items);
        self.next = next;
        self.loading = false;
    }

    /// Select row `i` (clamped). Returns whether the selection changed.
    pub fn select(&mut self, i: usize) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let i = i.min(self.items.len() - 1);
        let changed = i != self.selected;
        self.selected = i;
        changed
    }

    /// Move by `delta` rows (clamped). Returns whether the selection changed.
    pub fn move_by(&mut self, delta: i64) -> bool {
        let max = self.items.len().saturating_sub(1) as i64;
        self.select((self.selected as i64 + delta).clamp(0, max) as usize)
    }

    /// Select the first row after the selection for which `pick` holds (else stay).
    pub fn select_next_where(&mut self, pick: impl Fn(&T) -> bool) -> bool {
        match self
            .items
            .iter()
            .enumerate()
            .skip(self.selected + 1)
            .find(|(_, r)| pick(r))
        {
            Some((i, _)) => self.select(i),
            None => false,
        }
    }

    /// Select the row with this key, if loaded.
    pub fn select_key(&mut self, key: &str) -> bool {
        match self.items.iter().position(|r| r.key() == key) {
            Some(i) => self.select(i),
            None => false,
        }
    }

    /// Whether the selection is close enough to the end to fetch the next page.
    pub fn wants_more(&self, margin: usize) -> bool {
        !self.loading && self.next.is_some() && self.selected + margin >= self.items.len()
    }

    pub fn item_mut(&mut self, key: &str) -> Option<&mut T> {
        self.items.iter_mut().find(|r| r.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Keyed for String {
        fn key(&self) -> &str {
            self
        }
    }

    fn rows(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reload_keeps_the_order_or_the_position() {
        let mut l = ListState::default();
        l.replace(rows(&["a", "b", "c", "d"]), None);
        l.select(1);
        // b still listed, moved: follow it.
        assert!(!l.replace(rows(&["x", "a", "b", "c"]), None));
        assert_eq!(l.selected_key(), Some("b"));
        // b decided and gone: the next order takes its place.
        assert!(l.replace(rows(&["x", "a", "c"]), None));
        assert_eq!(l.selected_key(), Some("c"));
        // Fewer rows than the position: the last.
        l.select(2);
        l.replace(rows(&["x"]), None);
        assert_eq!(l.selected_key(), Some("x"));
        l.replace(vec![], None);
        assert_eq!(l.selected_item(), None);
    }

    #[test]
    fn the_end_first_then_the_rows_before_it() {
        let mut l: ListState<String> = ListState::default();
        l.replace(rows(&["a", "b"]), Some("c1".into()));
        l.begin_fill(2, Fill::Tail);
        assert_eq!(l.fill(), Fill::Tail);
        assert!(l.replace_tail(rows(&["x", "y", "z"]), Some("p1".into())));
        assert_eq!(l.selected_key(), Some("z"), "the last row");
        assert!(!l.has_more() && l.has_prev());
        assert!(!l.wants_prev(2), "far from the top");
        l.select(0);
        assert!(l.wants_prev(2));
        l.begin_fill(3, Fill::Prepend);
        l.prepend(rows(&["v", "w"]), None);
        assert_eq!(l.selected_key(), Some("x"), "the selection keeps its row");
        assert_eq!(l.items().len(), 5);
        assert!(!l.has_prev() && !l.wants_prev(10));
        // A reload of the tail keeps the selected order where it is listed.
        l.select(4);
        assert!(!l.replace_tail(rows(&["y", "z"]), Some("p2".into())));
        assert_eq!(l.selected_key(), Some("z"));
        // A first page ends the window at the end.
        l.replace(rows(&["a"]), Some("c".into()));
        assert!(!l.has_prev());
    }

    #[test]
    fn paging_and_stale_answers() {
        let mut l: ListState<String> = ListState::default();
        l.begin_load(3);
        assert!(l.is_current(3) && !l.is_current(2));
        l.replace(rows(&["a", "b"]), Some("c1".into()));
        assert!(l.wants_more(10));
        l.append(rows(&["c"]), None);
        assert!(!l.wants_more(10));
        assert!(l.move_by(100));
        assert_eq!(l.selected_key(), Some("c"));
        l.select(0);
        assert!(l.select_next_where(|r| r == "c"));
        assert_eq!(l.selected(), 2);
    }
}
