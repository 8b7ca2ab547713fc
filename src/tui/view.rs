//! What a page shows, prepared when the page is loaded: tables of text with a selection, tabs and
//! a filter. A list the console refused carries the refusal's explanation instead of rows.

/// A table's column: its header, whether it may be cut or left off (priority 0 never is: the
/// name and the status), and how narrow it may get before it is left off instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub priority: u8,
    pub min: u16,
}

/// A column that names or states the row: never cut, never left off.
pub const fn key(name: &'static str) -> Column {
    Column {
        name,
        priority: 0,
        min: 0,
    }
}

/// A column that gives way when the terminal is narrow, down to `min`, then goes.
pub const fn col(name: &'static str) -> Column {
    Column {
        name,
        priority: 1,
        min: 10,
    }
}

/// A column that goes first.
pub const fn extra(name: &'static str) -> Column {
    Column {
        name,
        priority: 2,
        min: 10,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: super::rows::Rows,
    /// The id of each row (its first column unless told).
    pub ids: Vec<String>,
    /// Why there are no rows: the console's refusal, line by line.
    pub error: Option<Vec<String>>,
    pub selected: usize,
    /// A selected cell within the selected row, for tables whose cells each mean something
    /// (the access matrix).
    pub selected_col: Option<usize>,
    /// The column sorted by and whether descending; `None`: the console's order.
    pub sort: Option<(usize, bool)>,
    /// The rows in sorted order (empty: the console's order).
    order: Vec<u32>,
    /// How many of the columns that may be left off are scrolled past (`←`/`→`).
    pub hscroll: usize,
}

impl Table {
    pub fn new(title: &str, columns: &[Column]) -> Table {
        Table {
            title: title.into(),
            columns: columns.to_vec(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.ids.push(row.first().cloned().unwrap_or_default());
        self.rows.push(row);
    }

    /// A row whose id is not its first cell.
    pub fn push_with_id(&mut self, id: impl Into<String>, row: Vec<String>) {
        self.ids.push(id.into());
        self.rows.push(row);
    }

    /// The cells of row `i`, owned.
    pub fn row_cells(&self, i: usize) -> Vec<String> {
        self.rows.row(i).map(str::to_owned).collect()
    }

    /// Sorts by `column` (numbers as numbers), or back to the console's order with `None`.
    pub fn sort_by(&mut self, sort: Option<(usize, bool)>) {
        self.sort = sort.filter(|(c, _)| *c < self.columns.len());
        self.order.clear();
        let Some((c, desc)) = self.sort else { return };
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        let key = |i: u32| sort_key(self.rows.cell(i as usize, c));
        order.sort_by(|&a, &b| {
            let o = key(a).cmp(&key(b));
            if desc { o.reverse() } else { o }
        });
        self.order = order;
    }

    /// The rows that contain the filter text (case-insensitive), in the sorted order. Without
    /// a filter nothing is scanned or allocated, so moving and drawing cost the same however
    /// long the list is.
    pub fn visible(&self, filter: &str) -> Visible<'_> {
        if filter.is_empty() {
            return if self.order.is_empty() {
                Visible::All(self.rows.len())
            } else {
                Visible::Ordered(&self.order)
            };
        }
        let f = filter.to_lowercase();
        let matches = |i: usize| self.rows.row(i).any(|c| c.to_lowercase().contains(&f));
        Visible::Only(if self.order.is_empty() {
            (0..self.rows.len()).filter(|&i| matches(i)).collect()
        } else {
            self.order
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| matches(i))
                .collect()
        })
    }
}

/// What a cell sorts by: numbers (`12`, `8 CU`, `¥1,200.00`) by value, else the text.
fn sort_key(cell: &str) -> (u8, i64, String) {
    let digits: String = cell
        .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '-')
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.' || *c == '-')
        .filter(|c| *c != ',')
        .collect();
    let starts_numeric = cell
        .trim_start_matches(['¥', '$', ' '])
        .starts_with(|c: char| c.is_ascii_digit() || c == '-');
    match digits.split('.').next().and_then(|d| d.parse::<i64>().ok()) {
        Some(n) if starts_numeric => (0, n, cell.to_lowercase()),
        _ => (1, 0, cell.to_lowercase()),
    }
}

/// Which rows a filter and a sort leave, by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible<'a> {
    All(usize),
    Ordered(&'a [u32]),
    Only(Vec<usize>),
}

impl Visible<'_> {
    pub fn len(&self) -> usize {
        match self {
            Visible::All(n) => *n,
            Visible::Ordered(v) => v.len(),
            Visible::Only(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row index at a position of the filtered list.
    pub fn get(&self, pos: usize) -> Option<usize> {
        match self {
            Visible::All(n) => (pos < *n).then_some(pos),
            Visible::Ordered(v) => v.get(pos).map(|&i| i as usize),
            Visible::Only(v) => v.get(pos).copied(),
        }
    }

    /// Row indices of positions `from..from + n`.
    pub fn window(&self, from: usize, n: usize) -> Vec<usize> {
        (from..(from + n).min(self.len()))
            .filter_map(|p| self.get(p))
            .collect()
    }
}

/// One page or the details of one workspace: a table per tab.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub tabs: Vec<Table>,
    pub tab: usize,
    pub filter: String,
    /// Lines shown above the tables (the Overview's panels).
    pub overview: Option<Overview>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub quick_access: Vec<(String, String)>,
    /// Workspaces this user opened most, with how often.
    pub frequent: Vec<String>,
    /// When none was opened yet: some of the user's workspaces to start from.
    pub yours: Vec<String>,
    /// The workspace of each line shown (the frequent ones, else yours): Enter opens it.
    pub ids: Vec<String>,
    pub updates: Vec<(String, String)>,
    /// The advisor's findings: severity, subject and message, and the fix.
    pub advice: Vec<(crate::domain::advice::Severity, String, String)>,
    /// Set when only some of the workspaces were checked.
    pub advice_note: Option<String>,
    /// The readiness checklist of seed 000 for `checklist_for`.
    pub checklist_for: Option<String>,
    pub checklist: Vec<(String, bool)>,
    pub error: Option<Vec<String>>,
}

impl View {
    pub fn single(t: Table) -> View {
        View {
            tabs: vec![t],
            ..Default::default()
        }
    }

    pub fn table(&self) -> &Table {
        static EMPTY: std::sync::LazyLock<Table> = std::sync::LazyLock::new(Table::default);
        self.tabs.get(self.tab).unwrap_or(&EMPTY)
    }

    pub(super) fn table_mut(&mut self) -> Option<&mut Table> {
        self.tabs.get_mut(self.tab)
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.table().visible(&self.filter).len();
        if let Some(t) = self.table_mut() {
            t.selected =
                (t.selected as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
        }
    }

    pub fn move_to(&mut self, pos: usize) {
        let n = self.table().visible(&self.filter).len();
        if let Some(t) = self.table_mut() {
            t.selected = pos.min(n.saturating_sub(1));
        }
    }

    /// Keeps the selection inside the filtered rows.
    pub fn clamp(&mut self) {
        self.move_by(0);
    }

    /// Filters the current table, keeping the selected item selected while it still shows.
    pub fn set_filter(&mut self, text: &str) {
        let id = self.selected_id();
        self.filter = text.to_owned();
        if let Some(t) = self.table_mut() {
            t.selected = 0;
        }
        match id {
            Some(id) => self.select_id(&id),
            None => self.clamp(),
        }
    }

    pub fn cycle_tab(&mut self, d: isize) {
        if !self.tabs.is_empty() {
            self.tab = (self.tab as isize + d).rem_euclid(self.tabs.len() as isize) as usize;
            self.clamp();
        }
    }

    /// The id of the selected row, after filtering.
    pub fn selected_id(&self) -> Option<String> {
        self.selected_row().map(|i| self.table().ids[i].clone())
    }

    /// The index of the selected row, after filtering and sorting.
    pub fn selected_row(&self) -> Option<usize> {
        let t = self.table();
        t.visible(&self.filter).get(t.selected)
    }

    /// Selects the row with `id`, if it shows.
    pub fn select_id(&mut self, id: &str) {
        let filter = self.filter.clone();
        let Some(t) = self.table_mut() else { return };
        let v = t.visible(&filter);
        if let Some(p) = (0..v.len()).find(|&p| v.get(p).is_some_and(|i| t.ids[i] == id)) {
            t.selected = p;
        }
    }

    /// Sorts the current table by the next column (after the last: the console's order again),
    /// keeping the selected item.
    pub fn cycle_sort(&mut self) {
        let id = self.selected_id();
        if let Some(t) = self.table_mut() {
            let next = match t.sort {
                None => Some((0, false)),
                Some((c, _)) if c + 1 < t.columns.len() => Some((c + 1, false)),
                Some(_) => None,
            };
            t.sort_by(next);
        }
        if let Some(id) = id {
            self.select_id(&id);
        }
    }

    /// Reverses the current sort (sorting by the first column when there is none).
    pub fn reverse_sort(&mut self) {
        let id = self.selected_id();
        if let Some(t) = self.table_mut() {
            let next = match t.sort {
                None => Some((0, true)),
                Some((c, d)) => Some((c, !d)),
            };
            t.sort_by(next);
        }
        if let Some(id) = id {
            self.select_id(&id);
        }
    }

    /// Scrolls the columns that may be left off sideways.
    pub fn scroll_columns(&mut self, d: isize) {
        if let Some(t) = self.table_mut() {
            let optional = t.columns.iter().filter(|c| c.priority > 0).count();
            t.hscroll =
                (t.hscroll as isize + d).clamp(0, optional.saturating_sub(1) as isize) as usize;
        }
    }

    /// After a reload underneath the person (a job moved on): the same tab, filter and selected
    /// row (by id, else the same position) as `old`.
    pub fn keep_place(&mut self, old: &View) {
        self.tab = old.tab.min(self.tabs.len().saturating_sub(1));
        self.filter = old.filter.clone();
        for (new, was) in self.tabs.iter_mut().zip(&old.tabs) {
            new.hscroll = was.hscroll;
            if was.sort.is_some() {
                new.sort_by(was.sort);
            }
            let id = was
                .visible(&old.filter)
                .get(was.selected)
                .map(|i| was.ids[i].clone());
            let visible = new.visible(&old.filter);
            let found = id.and_then(|id| {
                (0..visible.len()).find(|&p| visible.get(p).is_some_and(|i| new.ids[i] == id))
            });
            new.selected = found.unwrap_or(was.selected.min(visible.len().saturating_sub(1)));
        }
    }
}

/// A page of `rows` synthetic audit-like rows, for the render benchmark.
#[doc(hidden)]
pub fn load_page_for_bench(rows: usize) -> View {
    let mut t = Table::new("Audit log (newest first)", super::pages::audit_columns());
    for i in 0..rows {
        t.push(vec![
            format!("11-22 09:{:02}:{:02}", (i / 60) % 60, i % 60),
            format!("user{:03}", i % 500),
            "Page".into(),
            "dataworks:GetProject".into(),
            format!("workspace ws{i:05}"),
            "ok".into(),
            String::new(),
        ]);
    }
    View::single(t)
}
