//! The shape-driven streaming `serde::Deserializer` over `quick_xml` events.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesEnd, BytesRef, BytesStart, Event};
use quick_xml::Reader;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use crate::schema::{Kind, Member, Shape};

/// The deepest element nesting a response may have.
pub const MAX_DEPTH: usize = 128;

/// A deserialisation failure, with the element path where it happened.
#[derive(Debug)]
pub struct DeError {
    message: String,
    path: Option<String>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) if !p.is_empty() => write!(f, "{} (at {p})", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            path: None,
        }
    }
}

type Res<T> = Result<T, DeError>;

/// Deserialises `body` (an `<OpResponse>` document) into `O` with `shape`.
pub(super) fn from_slice<O: DeserializeOwned>(
    body: &[u8],
    shape: &'static Shape,
    root: Option<&str>,
    wrapper: Option<&str>,
    ec2: bool,
) -> Res<O> {
    let mut p = Parser::new(body, wrapper, ec2);
    let out = O::deserialize(RootDe {
        p: &mut p,
        shape,
        root,
    })?;
    Ok(out)
}

/// Resolves an entity or character reference (`&amp;`, `&#38;`).
pub(super) fn resolve_ref(r: &BytesRef<'_>) -> Option<Cow<'static, str>> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(Cow::Owned(c.to_string()));
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(Cow::Borrowed)
}

enum Seg {
    Name(&'static str),
    Index(usize),
}

/// The event source: a `quick_xml` reader with a one-event lookahead, the
/// current element depth and the member path (for error messages).
struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    peeked: Option<Event<'a>>,
    /// A self-closed element (`<tagSet/>`) was read as its start tag: its
    /// end comes next. quick-xml's own expansion of such elements allocates
    /// a copy of the name for each end tag, and responses hold thousands.
    empty_open: bool,
    depth: usize,
    path: Vec<Seg>,
    wrapper: Option<&'a str>,
    ec2: bool,
    order: MemberOrder,
}

/// The order a response sends members in, learned as it is read.
///
/// Services send a structure's members in a fixed order of their own (EC2's
/// is not the model's), and a listing repeats the same structure thousands
/// of times: remembering which member followed which turns the search for an
/// element's member into one comparison. A small direct-mapped table keyed by
/// (structure, previous member); a wrong or evicted guess only costs the
/// search it would have saved.
struct MemberOrder {
    slots: Vec<OrderSlot>,
}

#[derive(Clone, Copy)]
struct OrderSlot {
    members: usize,
    previous: usize,
    next: usize,
}

impl MemberOrder {
    const SLOTS: usize = 1024;
    const EMPTY: OrderSlot = OrderSlot {
        members: 0,
        previous: 0,
        next: 0,
    };

    fn new() -> Self {
        MemberOrder { slots: Vec::new() }
    }

    fn slot(members: &'static [Member], previous: Option<usize>) -> (usize, usize, usize) {
        let key = members.as_ptr() as usize;
        let previous = previous.map_or(0, |p| p + 1);
        let hash = (key >> 4).wrapping_mul(31).wrapping_add(previous);
        (key, previous, hash % Self::SLOTS)
    }

    /// The member predicted to follow `previous`, if the element is it.
    fn guess(
        &self,
        members: &'static [Member],
        previous: Option<usize>,
        name: &[u8],
    ) -> Option<usize> {
        let (key, previous, at) = Self::slot(members, previous);
        let slot = self.slots.get(at)?;
        (slot.members == key && slot.previous == previous)
            .then_some(slot.next)
            .filter(|&i| members.get(i).is_some_and(|m| is_member(m, name)))
    }

    fn learn(&mut self, members: &'static [Member], previous: Option<usize>, next: usize) {
        if self.slots.is_empty() {
            self.slots = vec![Self::EMPTY; Self::SLOTS];
        }
        let (key, previous, at) = Self::slot(members, previous);
        self.slots[at] = OrderSlot {
            members: key,
            previous,
            next,
        };
    }
}

impl<'a> Parser<'a> {
    fn new(body: &'a [u8], wrapper: Option<&'a str>, ec2: bool) -> Self {
        let mut reader = Reader::from_reader(body);
        let config = reader.config_mut();
        config.expand_empty_elements = false;
        config.check_end_names = true;
        config.trim_text(false);
        Parser {
            reader,
            peeked: None,
            empty_open: false,
            depth: 0,
            path: Vec::new(),
            wrapper,
            ec2,
            order: MemberOrder::new(),
        }
    }

    fn path_string(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Name(n) => {
                    out.push('/');
                    out.push_str(n);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    fn err(&self, message: impl Into<String>) -> DeError {
        DeError {
            message: message.into(),
            path: Some(self.path_string()),
        }
    }

    /// Adds the current path to an error raised without one (by a visitor).
    fn attach(&self, mut e: DeError) -> DeError {
        if e.path.is_none() {
            e.path = Some(self.path_string());
        }
        e
    }

    fn raw_next(&mut self) -> Res<Event<'a>> {
        if std::mem::take(&mut self.empty_open) {
            return Ok(Event::End(BytesEnd::new("")));
        }
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let pos = self.reader.error_position();
                    return Err(self.err(format!("malformed XML at byte {pos}: {e}")));
                }
            };
            match event {
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
                Event::Empty(start) => {
                    self.empty_open = true;
                    return Ok(Event::Start(start));
                }
                e => return Ok(e),
            }
        }
    }

    fn peek(&mut self) -> Res<&Event<'a>> {
        if self.peeked.is_none() {
            let e = self.raw_next()?;
            self.peeked = Some(e);
        }
        match &self.peeked {
            Some(e) => Ok(e),
            None => Err(self.err("internal: lookahead lost")),
        }
    }

    fn next(&mut self) -> Res<Event<'a>> {
        let e = match self.peeked.take() {
            Some(e) => e,
            None => self.raw_next()?,
        };
        match &e {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(e)
    }

    /// Skips text between elements and returns the local name of the next
    /// child element (not consumed), or `None` at the parent's end tag (not
    /// consumed either).
    fn peek_child(&mut self) -> Res<Option<&[u8]>> {
        loop {
            match self.peek()? {
                Event::Start(_) => break,
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => {
                    self.next()?;
                }
            }
        }
        match &self.peeked {
            Some(Event::Start(s)) => Ok(Some(s.local_name().into_inner())),
            _ => Err(self.err("internal: lookahead lost")),
        }
    }

    /// What the next child element of a structure is: one of `members`
    /// (`previous` is the member of the child before it), the response's
    /// wrapper element, something to skip, or nothing (the end).
    fn classify_child(
        &mut self,
        members: &'static [Member],
        previous: Option<usize>,
        wrapper: Option<&str>,
        ec2: bool,
    ) -> Res<Step> {
        if self.peek_child()?.is_none() {
            return Ok(Step::Done);
        }
        let Some(Event::Start(start)) = &self.peeked else {
            return Err(self.err("internal: lookahead lost"));
        };
        let name = start.local_name().into_inner();
        if let Some(i) = self.order.guess(members, previous, name) {
            return Ok(Step::Member(i, &members[i]));
        }
        Ok(match find_member(members, name, ec2) {
            Some((i, m)) => {
                self.order.learn(members, previous, i);
                Step::Member(i, m)
            }
            None if wrapper.is_some_and(|w| w.as_bytes() == name) => Step::Wrapper,
            None => Step::Skip,
        })
    }

    /// Consumes the start tag [`Self::peek_child`] found.
    fn open(&mut self) -> Res<BytesStart<'a>> {
        match self.next()? {
            Event::Start(s) => {
                if self.depth > MAX_DEPTH {
                    return Err(self.err(format!("elements nested deeper than {MAX_DEPTH}")));
                }
                Ok(s)
            }
            _ => Err(self.err("internal: expected a start tag")),
        }
    }

    /// Consumes events until the depth is back to `depth`.
    fn finish_to(&mut self, depth: usize) -> Res<()> {
        while self.depth > depth {
            if let Event::Eof = self.next()? {
                return Err(self.err("unexpected end of document"));
            }
        }
        Ok(())
    }

    /// Skips the child element [`Self::peek_child`] found, iteratively.
    fn skip_element(&mut self) -> Res<()> {
        let depth = self.depth;
        self.next()?;
        self.finish_to(depth)
    }

    /// Reads the text of the element `start` just opened, through its end
    /// tag. Entity references are resolved; child elements are skipped.
    ///
    /// quick-xml finds the end tag (checking the markup on the way) and hands
    /// back the raw content; most values are plain text and are lent as
    /// they stand, without a round trip through the event loop per piece.
    fn read_text(&mut self, start: &BytesStart<'_>) -> Res<Cow<'a, str>> {
        if self.peeked.is_none() && std::mem::take(&mut self.empty_open) {
            self.depth = self.depth.saturating_sub(1);
            return Ok(Cow::Borrowed(""));
        }
        let raw = match self.reader.read_text(start.name()) {
            Ok(raw) => raw,
            Err(e) => {
                let pos = self.reader.error_position();
                return Err(self.err(format!("malformed XML at byte {pos}: {e}")));
            }
        };
        self.depth = self.depth.saturating_sub(1);
        let text = match raw {
            Cow::Borrowed(raw) => text_content(raw),
            Cow::Owned(raw) => text_content(&raw).map(|t| Cow::Owned(t.into_owned())),
        };
        text.map_err(|message| self.err(message))
    }
}

/// The text of an element's raw content: entity references resolved, line
/// ends normalised, CDATA read, comments and child elements skipped.
fn text_content(raw: &str) -> Result<Cow<'_, str>, String> {
    if memchr::memchr3(b'<', b'&', b'\r', raw.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(raw));
    }
    let mut reader = Reader::from_str(raw);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = true;
    config.trim_text(false);
    let mut out: Option<Cow<'_, str>> = None;
    fn push<'t>(out: &mut Option<Cow<'t, str>>, piece: Cow<'t, str>) {
        match out {
            None => *out = Some(piece),
            Some(o) => o.to_mut().push_str(&piece),
        }
    }
    let mut nested = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML: {e}"))?;
        match event {
            Event::Start(_) => nested += 1,
            Event::End(_) => nested = nested.saturating_sub(1),
            Event::Eof => break,
            _ if nested > 0 => {}
            Event::Text(t) => push(
                &mut out,
                t.xml10_content().map_err(|e| format!("bad text: {e}"))?,
            ),
            Event::CData(t) => push(&mut out, t.decode().map_err(|e| format!("bad CDATA: {e}"))?),
            Event::GeneralRef(r) => match resolve_ref(&r) {
                Some(s) => push(&mut out, s),
                None => {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    return Err(format!("unknown entity &{name};"));
                }
            },
            _ => {}
        }
    }
    Ok(out.unwrap_or(Cow::Borrowed("")))
}

/// Whether an element named `name` is `m` (exactly, not ec2's relaxed way).
fn is_member(m: &Member, name: &[u8]) -> bool {
    !m.xml_attribute
        && (m.xml_name().as_bytes() == name
            || flattened_alias(m).is_some_and(|a| a.as_bytes() == name))
}

/// The member of `members` an element named `name` belongs to.
fn find_member(
    members: &'static [Member],
    name: &[u8],
    ec2: bool,
) -> Option<(usize, &'static Member)> {
    let exact = members.iter().enumerate().find(|(_, m)| is_member(m, name));
    if exact.is_some() || !ec2 {
        return exact;
    }
    members.iter().enumerate().find(|(_, m)| {
        !m.xml_attribute
            && (m.ec2_query_name.is_some_and(|q| eq_first_ci(q, name))
                || eq_first_ci(m.xml_name(), name)
                || eq_first_ci(m.name, name))
    })
}

/// `a` equals `b` ignoring the case of the first letter.
fn eq_first_ci(a: &str, b: &[u8]) -> bool {
    let a = a.as_bytes();
    a.len() == b.len() && !a.is_empty() && a[0].eq_ignore_ascii_case(&b[0]) && a[1..] == b[1..]
}

/// The other name a flattened list's elements may carry: with the
/// flattening on the list shape and no name on the member, botocore names
/// the elements after the list member's `locationName` (SQS `<Message>`).
fn flattened_alias(m: &Member) -> Option<&'static str> {
    // The member's own fields first: most members have a location name, and
    // reading the shape means touching another static per member searched.
    if m.location_name.is_some() || m.flattened {
        return None;
    }
    match m.shape.kind {
        Kind::List {
            member,
            flattened: true,
        } => member.location_name,
        _ => None,
    }
}

fn is_flattened_container(m: &Member) -> bool {
    m.is_flattened() && matches!(m.shape.kind, Kind::List { .. } | Kind::Map { .. })
}

/// Small set of member indexes already seen in one structure.
#[derive(Default)]
struct Seen([u64; 4]);

impl Seen {
    /// Marks `i`; true when it was already marked. Indexes past 255 are not tracked.
    fn mark(&mut self, i: usize) -> bool {
        if i >= 256 {
            return false;
        }
        let (w, b) = (i / 64, 1u64 << (i % 64));
        let was = self.0[w] & b != 0;
        self.0[w] |= b;
        was
    }
}

// ---------------------------------------------------------------------------
// Root

struct RootDe<'p, 'a> {
    p: &'p mut Parser<'a>,
    shape: &'static Shape,
    /// The root element the answer must have (`DescribeVpcsResponse`): a
    /// 200 with any other document (a proxy's HTML page) is not an answer
    /// with nothing in it.
    root: Option<&'p str>,
}

impl<'p, 'a> RootDe<'p, 'a> {
    /// Positions at the root element; false for a body without one.
    fn find_root(&mut self) -> Res<bool> {
        loop {
            match self.p.peek()? {
                Event::Start(_) => return Ok(true),
                Event::Eof => return Ok(false),
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::End(_) => {
                    return Err(self.p.err("unexpected end tag before the root element"))
                }
                _ => {
                    return Err(self
                        .p
                        .err("text before the root element: the body is not XML"))
                }
            }
            self.p.next()?;
        }
    }
}

impl<'a> RootDe<'_, 'a> {
    /// For an answer nothing is read from: the body is empty, or it is this
    /// operation's document, well formed. A 200 carrying anything else (a
    /// proxy's or captive portal's page, a cut document) is no success.
    fn check_document(&mut self) -> Res<()> {
        if !self.find_root()? {
            return Ok(());
        }
        self.open_root()?;
        self.p.finish_to(0)
    }

    /// Opens the root element [`Self::find_root`] found, refused unless it
    /// is the operation's document.
    fn open_root(&mut self) -> Res<BytesStart<'a>> {
        let start = self.p.open()?;
        if let Some(expected) = self.root {
            let name = start.local_name();
            if name.as_ref() != expected.as_bytes() {
                let found = String::from_utf8_lossy(name.as_ref()).into_owned();
                return Err(self.p.err(format!(
                    "the document is <{found}>, not <{expected}>: not this operation's answer"
                )));
            }
        }
        Ok(start)
    }

    /// Opens the root element. A body without one (empty, or only
    /// whitespace) reads as no members when the output has none, and is an
    /// error when it has some, as in botocore (which refuses every empty
    /// query/ec2 body): an empty 200 from a proxy must not read as an
    /// account with nothing in it.
    fn begin(&mut self) -> Res<StructAccess<'_, 'a>> {
        let members = match self.shape.kind {
            Kind::Structure(m) => m,
            _ => {
                return Err(self.p.err(format!(
                    "output shape {} is not a structure",
                    self.shape.name
                )))
            }
        };
        if !self.find_root()? {
            if !members.is_empty() {
                let expected = self.root.unwrap_or(self.shape.name);
                return Err(self.p.err(format!(
                    "the body is empty: a 200 without the <{expected}> document is not an answer \
                     with nothing in it ({} has members); something between here and AWS may have \
                     cut it",
                    self.shape.name
                )));
            }
            let mut access = StructAccess::new(self.p, members, BytesStart::new(""), true);
            access.empty = true;
            return Ok(access);
        }
        let start = self.open_root()?;
        Ok(StructAccess::new(self.p, members, start, true))
    }
}

impl<'de, 'p, 'a: 'de> de::Deserializer<'de> for RootDe<'p, 'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Res<V::Value> {
        let access = self.begin()?;
        let value = visitor.visit_map(access)?;
        self.p.finish_to(0)?;
        Ok(value)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(mut self, visitor: V) -> Res<V::Value> {
        self.check_document()?;
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(mut self, visitor: V) -> Res<V::Value> {
        self.check_document()?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        self.check_document()?;
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct enum identifier
    }
}

// ---------------------------------------------------------------------------
// Structures
//
// Every generic method below (instantiated once per visitor or seed type,
// that is once per generated type) only hands a value on; the work around
// it (finding members, opening and closing elements, reading text, the
// error paths) lives in non-generic functions, compiled once.

enum Pending {
    None,
    Attr(&'static Member, String),
    Child(&'static Member),
}

struct StructAccess<'p, 'a> {
    p: &'p mut Parser<'a>,
    members: &'static [Member],
    start: BytesStart<'a>,
    attr_pos: usize,
    root: bool,
    /// No element to read (an empty response body): no members.
    empty: bool,
    /// The member of the previous child element.
    last: Option<usize>,
    wrappers_open: usize,
    pending: Pending,
    seen: Seen,
}

impl<'p, 'a> StructAccess<'p, 'a> {
    fn new(
        p: &'p mut Parser<'a>,
        members: &'static [Member],
        start: BytesStart<'a>,
        root: bool,
    ) -> Self {
        let attr_pos = if members.iter().any(|m| m.xml_attribute) {
            0
        } else {
            members.len()
        };
        StructAccess {
            p,
            members,
            start,
            attr_pos,
            root,
            empty: false,
            last: None,
            wrappers_open: 0,
            pending: Pending::None,
            seen: Seen::default(),
        }
    }

    fn attribute(&self, name: &str) -> Res<Option<String>> {
        for attr in self.start.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.p.err(format!("bad attribute: {e}")))?;
            if attr.key.local_name().as_ref() == name.as_bytes() {
                let v = attr
                    .unescape_value()
                    .map_err(|e| self.p.err(format!("bad attribute {name}: {e}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    /// The next member present (attributes first, then child elements), its
    /// value left pending; `None` at the end of the structure.
    fn next_member(&mut self) -> Res<Option<&'static Member>> {
        if self.empty {
            return Ok(None);
        }
        while self.attr_pos < self.members.len() {
            let m = &self.members[self.attr_pos];
            self.attr_pos += 1;
            if !m.xml_attribute {
                continue;
            }
            if let Some(v) = self.attribute(m.xml_name())? {
                self.pending = Pending::Attr(m, v);
                return Ok(Some(m));
            }
        }
        loop {
            let members = self.members;
            let wrapper = if self.root { self.p.wrapper } else { None };
            let ec2 = self.p.ec2;
            let step = self.p.classify_child(members, self.last, wrapper, ec2)?;
            match step {
                Step::Done if self.wrappers_open > 0 => {
                    self.p.next()?;
                    self.wrappers_open -= 1;
                }
                Step::Done => return Ok(None),
                Step::Wrapper => {
                    self.p.open()?;
                    self.wrappers_open += 1;
                }
                Step::Skip => self.p.skip_element()?,
                Step::Member(i, m) => {
                    if self.seen.mark(i) {
                        if is_flattened_container(m) {
                            return Err(self.p.err(format!(
                                "flattened member {} appears again after other members; \
                                 non-consecutive flattened elements are not supported",
                                m.name
                            )));
                        }
                        // A repeated plain member: the first occurrence wins.
                        self.p.skip_element()?;
                        continue;
                    }
                    self.pending = Pending::Child(m);
                    self.last = Some(i);
                    return Ok(Some(m));
                }
            }
        }
    }

    /// Starts the pending member's value: its path segment is pushed; the
    /// depth to close to afterwards comes with the deserializer.
    fn begin_value(&mut self) -> Res<(ValueDe<'_, 'a>, Option<usize>)> {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Attr(m, v) => {
                self.p.path.push(Seg::Name(m.name));
                Ok((ValueDe::text(Cow::Owned(v), m.shape), None))
            }
            Pending::Child(m) => {
                self.p.path.push(Seg::Name(m.name));
                let depth = self.p.depth;
                if is_flattened_container(m) {
                    let src = Src::Flattened(&mut *self.p, m, self.members);
                    return Ok((
                        ValueDe {
                            src,
                            shape: m.shape,
                        },
                        Some(depth),
                    ));
                }
                match self.p.open() {
                    Ok(start) => {
                        let src = Src::Element(&mut *self.p, start);
                        Ok((
                            ValueDe {
                                src,
                                shape: m.shape,
                            },
                            Some(depth),
                        ))
                    }
                    Err(e) => Err(self.p.fail_value(e)),
                }
            }
            Pending::None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }
}

enum Step {
    Done,
    Member(usize, &'static Member),
    Wrapper,
    Skip,
}

impl<'de, 'p, 'a: 'de> MapAccess<'de> for StructAccess<'p, 'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        match self.next_member()? {
            Some(m) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(m.name))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        let (de, depth) = self.begin_value()?;
        let r = seed.deserialize(de);
        self.p.end_value(r, depth)
    }
}

impl Parser<'_> {
    /// Closes a value read by a seed: on success, through its end tag (when
    /// it was an element); either way its path segment is popped.
    #[inline]
    fn end_value<T>(&mut self, r: Res<T>, depth: Option<usize>) -> Res<T> {
        match r {
            Ok(v) => self.close_value(depth).map(|()| v),
            Err(e) => Err(self.fail_value(e)),
        }
    }

    fn close_value(&mut self, depth: Option<usize>) -> Res<()> {
        let r = match depth {
            Some(d) => self.finish_to(d),
            None => Ok(()),
        };
        self.path.pop();
        r
    }

    #[cold]
    fn fail_value(&mut self, e: DeError) -> DeError {
        let e = self.attach(e);
        self.path.pop();
        e
    }
}

// ---------------------------------------------------------------------------
// Values

/// Where a value is read from.
enum Src<'p, 'a> {
    /// Text already read: an attribute, a map key, or an element's text.
    Text(Cow<'a, str>),
    /// An element whose start tag has been consumed.
    Element(&'p mut Parser<'a>, BytesStart<'a>),
    /// A flattened list or map: the consecutive siblings named like the
    /// member (the member and its structure's members).
    Flattened(&'p mut Parser<'a>, &'static Member, &'static [Member]),
    /// A map entry without a value element.
    Absent,
}

/// The one deserializer for every value below the root, read with `shape`.
/// (One type, not one per kind of source: each generated type's
/// `Deserialize` is compiled once for it.)
struct ValueDe<'p, 'a> {
    src: Src<'p, 'a>,
    shape: &'static Shape,
}

/// A scalar ready for a visitor.
enum Scalar<'a> {
    Str(Cow<'a, str>),
    I64(i64),
    F64(f64),
    Bool(bool),
    Unit,
}

/// The sequence or map reading a container's children.
enum MapSrc<'p, 'a> {
    Entries(EntryAccess<'p, 'a>),
    Struct(StructAccess<'p, 'a>),
}

fn visit_str<'de, 'a: 'de, V: Visitor<'de>>(s: Cow<'a, str>, visitor: V) -> Res<V::Value> {
    match s {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

fn visit_scalar<'de, 'a: 'de, V: Visitor<'de>>(s: Scalar<'a>, visitor: V) -> Res<V::Value> {
    match s {
        Scalar::Str(s) => visit_str(s, visitor),
        Scalar::I64(i) => visitor.visit_i64(i),
        Scalar::F64(f) => visitor.visit_f64(f),
        Scalar::Bool(b) => visitor.visit_bool(b),
        Scalar::Unit => visitor.visit_unit(),
    }
}

fn trim_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
    }
}

impl<'p, 'a> ValueDe<'p, 'a> {
    fn text(text: Cow<'a, str>, shape: &'static Shape) -> Self {
        ValueDe {
            src: Src::Text(text),
            shape,
        }
    }

    fn is_container(&self) -> bool {
        matches!(
            self.shape.kind,
            Kind::Structure(_) | Kind::List { .. } | Kind::Map { .. }
        )
    }

    #[cold]
    fn mismatch(&self, what: &str) -> DeError {
        de::Error::custom(format!("{} cannot be read as {what}", self.shape.name))
    }

    /// The value's text, for a scalar target (`what` names it in errors).
    fn scalar_text(self, what: &str) -> Res<Cow<'a, str>> {
        if self.is_container() {
            return Err(self.mismatch(what));
        }
        match self.src {
            Src::Text(t) => Ok(t),
            Src::Element(p, start) => p.read_text(&start),
            Src::Flattened(..) => Err(de::Error::custom(
                "internal: flattened member is not a list or map",
            )),
            Src::Absent => Err(de::Error::custom(format!(
                "map entry without a value ({what} expected)"
            ))),
        }
    }

    fn int(self) -> Res<i64> {
        let t = self.scalar_text("an integer")?;
        let t = t.trim();
        t.parse()
            .map_err(|_| de::Error::custom(format!("{t:?} is not an integer")))
    }

    fn uint(self) -> Res<u64> {
        let t = self.scalar_text("an unsigned integer")?;
        let t = t.trim();
        t.parse()
            .map_err(|_| de::Error::custom(format!("{t:?} is not an unsigned integer")))
    }

    fn float(self) -> Res<f64> {
        let t = self.scalar_text("a number")?;
        parse_float(t.trim())
    }

    fn boolean(self) -> Res<bool> {
        let t = self.scalar_text("a boolean")?;
        parse_bool(t.trim())
    }

    /// Text for a string target: a blob's base64 loses the line breaks XML
    /// writers may put in it.
    fn string(self, blob: bool) -> Res<Cow<'a, str>> {
        let blob = blob || matches!(self.shape.kind, Kind::Blob);
        let t = self.scalar_text("a string")?;
        Ok(if blob { clean_base64(t) } else { t })
    }

    /// The scalar an untyped read (`deserialize_any`) of this value gives.
    fn any_scalar(self) -> Res<Scalar<'a>> {
        if matches!(self.src, Src::Absent) {
            return Ok(Scalar::Unit);
        }
        Ok(match self.shape.kind {
            Kind::String | Kind::Document => Scalar::Str(self.scalar_text("text")?),
            Kind::Blob => Scalar::Str(clean_base64(self.scalar_text("text")?)),
            Kind::Integer | Kind::Long => Scalar::I64(self.int()?),
            Kind::Float | Kind::Double => Scalar::F64(self.float()?),
            Kind::Boolean => Scalar::Bool(self.boolean()?),
            Kind::Timestamp(_) => timestamp(self.scalar_text("a timestamp")?)?,
            Kind::Structure(_) | Kind::List { .. } | Kind::Map { .. } => {
                return Err(de::Error::custom(format!(
                    "{} cannot be read from text",
                    self.shape.name
                )))
            }
        })
    }

    /// True when an optional value is absent: no map value, or an empty
    /// number, boolean or timestamp (empty text is an empty string).
    fn absent(&mut self) -> Res<bool> {
        let empty_means_none = !self.is_container()
            && !matches!(self.shape.kind, Kind::String | Kind::Blob | Kind::Document);
        match &mut self.src {
            Src::Absent => Ok(true),
            Src::Text(t) => Ok(empty_means_none && t.trim().is_empty()),
            Src::Flattened(..) => Ok(false),
            Src::Element(..) if !empty_means_none => Ok(false),
            Src::Element(p, start) => {
                let text = p.read_text(start)?;
                if text.trim().is_empty() {
                    return Ok(true);
                }
                self.src = Src::Text(text);
                Ok(false)
            }
        }
    }

    fn into_struct(self) -> Res<StructAccess<'p, 'a>> {
        match (self.src, &self.shape.kind) {
            (Src::Element(p, start), Kind::Structure(members)) => {
                Ok(StructAccess::new(p, members, start, false))
            }
            (_, _) => Err(de::Error::custom(format!(
                "{} cannot be read as a structure",
                self.shape.name
            ))),
        }
    }

    /// A flattened member read as nothing (a field the target type does not
    /// have) still consumes its items: no element was opened for it, so no
    /// one else would, and the next child would be taken for it again.
    fn skip_flattened(self) -> Res<()> {
        if let Src::Flattened(p, m, siblings) = self.src {
            let mut items = Items::new(p, m.xml_name(), flattened_alias(m), Some(siblings));
            while items.advance()? {
                items.p.skip_element()?;
            }
        }
        Ok(())
    }

    fn into_seq(self) -> Res<ListAccess<'p, 'a>> {
        match (self.src, &self.shape.kind) {
            (Src::Element(p, _), Kind::List { member, .. }) => Ok(ListAccess {
                items: Items::new(p, member.xml_name(), None, None),
                member,
            }),
            (Src::Flattened(p, m, siblings), Kind::List { member, .. }) => Ok(ListAccess {
                items: Items::new(p, m.xml_name(), flattened_alias(m), Some(siblings)),
                member,
            }),
            (_, _) => Err(de::Error::custom(format!(
                "{} cannot be read as a list",
                self.shape.name
            ))),
        }
    }

    fn into_map(self) -> Res<MapSrc<'p, 'a>> {
        match (self.src, &self.shape.kind) {
            (Src::Element(p, _), Kind::Map { key, value, .. }) => Ok(MapSrc::Entries(
                EntryAccess::new(Items::new(p, "entry", None, None), key, value),
            )),
            (Src::Flattened(p, m, siblings), Kind::Map { key, value, .. }) => {
                let items = Items::new(p, m.xml_name(), flattened_alias(m), Some(siblings));
                Ok(MapSrc::Entries(EntryAccess::new(items, key, value)))
            }
            (Src::Element(p, start), Kind::Structure(members)) => {
                Ok(MapSrc::Struct(StructAccess::new(p, members, start, false)))
            }
            (_, _) => Err(de::Error::custom(format!(
                "{} cannot be read as a map",
                self.shape.name
            ))),
        }
    }
}

fn parse_float(t: &str) -> Res<f64> {
    match t {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => t
            .parse()
            .map_err(|_| de::Error::custom(format!("{t:?} is not a number"))),
    }
}

fn parse_bool(t: &str) -> Res<bool> {
    match t {
        "true" => Ok(true),
        "false" => Ok(false),
        t => Err(de::Error::custom(format!("{t:?} is not a boolean"))),
    }
}

/// Base64 text without the whitespace XML writers may wrap it with.
fn clean_base64(t: Cow<'_, str>) -> Cow<'_, str> {
    let t = trim_cow(t);
    if t.contains(|c: char| c.is_ascii_whitespace()) {
        let mut s = t.into_owned();
        s.retain(|c| !c.is_ascii_whitespace());
        return Cow::Owned(s);
    }
    t
}

/// Timestamps: numeric text is epoch seconds, an HTTP date (`Tue, 29 Apr
/// 2014 18:30:38 GMT`) becomes epoch seconds, anything else goes on as text
/// (RFC 3339, which [`DateTime`](crate::DateTime) parses).
fn timestamp(text: Cow<'_, str>) -> Res<Scalar<'_>> {
    let text = trim_cow(text);
    let t: &str = &text;
    let numeric = !t.is_empty()
        && t.strip_prefix('-')
            .unwrap_or(t)
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
    if numeric {
        if let Ok(i) = t.parse::<i64>() {
            return Ok(Scalar::I64(i));
        }
        return parse_float(t).map(Scalar::F64);
    }
    if t.starts_with(|c: char| c.is_ascii_alphabetic()) {
        if let Some(secs) = parse_http_date(t) {
            return Ok(Scalar::I64(secs));
        }
    }
    Ok(Scalar::Str(text))
}

impl<'de, 'p, 'a: 'de> de::Deserializer<'de> for ValueDe<'p, 'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.shape.kind {
            Kind::Structure(_) if !matches!(self.src, Src::Absent) => {
                visitor.visit_map(self.into_struct()?)
            }
            Kind::List { .. } if !matches!(self.src, Src::Absent) => {
                visitor.visit_seq(self.into_seq()?)
            }
            Kind::Map { .. } if !matches!(self.src, Src::Absent) => match self.into_map()? {
                MapSrc::Entries(e) => visitor.visit_map(e),
                MapSrc::Struct(s) => visitor.visit_map(s),
            },
            _ => visit_scalar(self.any_scalar()?, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Res<V::Value> {
        if self.absent()? {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_bool(self.boolean()?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_i64(self.int()?)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_i64(self.int()?)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_i64(self.int()?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_i64(self.int()?)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_u64(self.uint()?)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_u64(self.uint()?)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_u64(self.uint()?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_u64(self.uint()?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(false)?, visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(false)?, visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(false)?, visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(false)?, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(true)?, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visit_str(self.string(true)?, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        let text = self.string(false)?;
        visitor.visit_enum(de::value::CowStrDeserializer::<DeError>::new(text))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_seq(self.into_seq()?)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.into_map()? {
            MapSrc::Entries(e) => visitor.visit_map(e),
            MapSrc::Struct(s) => visitor.visit_map(s),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        visitor.visit_map(self.into_struct()?)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        // The caller skips whatever is left of an element.
        self.skip_flattened()?;
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.skip_flattened()?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        self.skip_flattened()?;
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { i128 u128 tuple tuple_struct }
}

// ---------------------------------------------------------------------------
// Lists and maps

/// The elements of a list or the entries of a map: children named `name`
/// (or `alias`). Other elements are skipped; for flattened members a sibling
/// that belongs to another member of the structure ends the run.
struct Items<'p, 'a> {
    p: &'p mut Parser<'a>,
    name: &'static str,
    alias: Option<&'static str>,
    siblings: Option<&'static [Member]>,
    index: usize,
}

impl<'p, 'a> Items<'p, 'a> {
    fn new(
        p: &'p mut Parser<'a>,
        name: &'static str,
        alias: Option<&'static str>,
        siblings: Option<&'static [Member]>,
    ) -> Self {
        Items {
            p,
            name,
            alias,
            siblings,
            index: 0,
        }
    }

    /// Advances to the next item's start tag (not consumed); false at the end.
    fn advance(&mut self) -> Res<bool> {
        loop {
            let (name, alias, siblings, ec2) = (self.name, self.alias, self.siblings, self.p.ec2);
            // 0: end, 1: item, 2: skip
            let step = match self.p.peek_child()? {
                None => 0,
                // A wrapped list's children are all items, whatever their
                // tag (botocore reads them so): a model naming its items
                // `member` where EC2 writes `item` loses none.
                Some(_) if siblings.is_none() => 1,
                Some(n) if n == name.as_bytes() || alias.is_some_and(|a| a.as_bytes() == n) => 1,
                Some(n) => match siblings {
                    Some(s) if find_member(s, n, ec2).is_some() => 0,
                    _ => 2,
                },
            };
            match step {
                0 => return Ok(false),
                1 => return Ok(true),
                _ => self.p.skip_element()?,
            }
        }
    }
}

struct ListAccess<'p, 'a> {
    items: Items<'p, 'a>,
    member: &'static Member,
}

impl<'a> ListAccess<'_, 'a> {
    /// Opens the next element; `None` at the end of the list.
    fn begin_item(&mut self) -> Res<Option<(ValueDe<'_, 'a>, Option<usize>)>> {
        if !self.items.advance()? {
            return Ok(None);
        }
        let p = &mut *self.items.p;
        p.path.push(Seg::Index(self.items.index));
        self.items.index += 1;
        let depth = p.depth;
        match p.open() {
            Ok(start) => Ok(Some((
                ValueDe {
                    src: Src::Element(p, start),
                    shape: self.member.shape,
                },
                Some(depth),
            ))),
            Err(e) => Err(p.fail_value(e)),
        }
    }
}

impl<'de, 'p, 'a: 'de> SeqAccess<'de> for ListAccess<'p, 'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        let Some((de, depth)) = self.begin_item()? else {
            return Ok(None);
        };
        let r = seed.deserialize(de);
        self.items.p.end_value(r, depth).map(Some)
    }
}

struct EntryAccess<'p, 'a> {
    items: Items<'p, 'a>,
    key: &'static Member,
    value: &'static Member,
    /// Depth inside the current entry element.
    entry_depth: usize,
}

impl<'p, 'a> EntryAccess<'p, 'a> {
    fn new(items: Items<'p, 'a>, key: &'static Member, value: &'static Member) -> Self {
        EntryAccess {
            items,
            key,
            value,
            entry_depth: 0,
        }
    }

    /// Moves to the entry's child named `want` (not consumed); false when the
    /// entry ends first. Meeting `other` first is an error (`other_first`).
    fn find(&mut self, want: &str, other: &str) -> Res<bool> {
        loop {
            let step = match self.items.p.peek_child()? {
                None => 0,
                Some(n) if n == want.as_bytes() => 1,
                Some(n) if n == other.as_bytes() => 3,
                Some(_) => 2,
            };
            match step {
                0 => return Ok(false),
                1 => return Ok(true),
                3 => {
                    return Err(self
                        .items
                        .p
                        .err(format!("map entry has <{other}> before <{want}>")))
                }
                _ => self.items.p.skip_element()?,
            }
        }
    }

    /// Opens the next entry and reads its key's text; `None` at the end.
    fn begin_entry(&mut self) -> Res<Option<Cow<'a, str>>> {
        if !self.items.advance()? {
            return Ok(None);
        }
        self.items.p.path.push(Seg::Index(self.items.index));
        self.items.index += 1;
        self.items.p.open()?;
        self.entry_depth = self.items.p.depth;
        let (key_name, value_name) = (self.key.xml_name(), self.value.xml_name());
        if !self.find(key_name, value_name)? {
            return Err(self.items.p.err(format!("map entry without <{key_name}>")));
        }
        let start = self.items.p.open()?;
        self.items.p.read_text(&start).map(Some)
    }

    /// Moves to the entry's value element, if it has one.
    fn begin_entry_value(&mut self) -> Res<(ValueDe<'_, 'a>, Option<usize>)> {
        let (key_name, value_name) = (self.key.xml_name(), self.value.xml_name());
        let shape = self.value.shape;
        // Through the end of the entry afterwards.
        let depth = Some(self.entry_depth - 1);
        let found = match self.find(value_name, key_name) {
            Ok(found) => found,
            Err(e) => return Err(self.items.p.fail_value(e)),
        };
        if !found {
            return Ok((
                ValueDe {
                    src: Src::Absent,
                    shape,
                },
                depth,
            ));
        }
        let p = &mut *self.items.p;
        match p.open() {
            Ok(start) => Ok((
                ValueDe {
                    src: Src::Element(p, start),
                    shape,
                },
                depth,
            )),
            Err(e) => Err(p.fail_value(e)),
        }
    }
}

impl<'de, 'p, 'a: 'de> de::MapAccess<'de> for EntryAccess<'p, 'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        let Some(text) = self.begin_entry()? else {
            return Ok(None);
        };
        match seed.deserialize(ValueDe::text(text, self.key.shape)) {
            Ok(k) => Ok(Some(k)),
            Err(e) => Err(self.items.p.attach(e)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        let (de, depth) = self.begin_entry_value()?;
        let r = seed.deserialize(de);
        self.items.p.end_value(r, depth)
    }
}

// ---------------------------------------------------------------------------
// Scalars

/// `Tue, 29 Apr 2014 18:30:38 GMT` → epoch seconds.
fn parse_http_date(s: &str) -> Option<i64> {
    let mut parts = s.split_whitespace();
    let _weekday = parts.next()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => time::Month::January,
        "Feb" => time::Month::February,
        "Mar" => time::Month::March,
        "Apr" => time::Month::April,
        "May" => time::Month::May,
        "Jun" => time::Month::June,
        "Jul" => time::Month::July,
        "Aug" => time::Month::August,
        "Sep" => time::Month::September,
        "Oct" => time::Month::October,
        "Nov" => time::Month::November,
        "Dec" => time::Month::December,
        _ => return None,
    };
    let year: i32 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':');
    let h: u8 = hms.next()?.parse().ok()?;
    let m: u8 = hms.next()?.parse().ok()?;
    let sec: u8 = hms.next()?.parse().ok()?;
    if !matches!(parts.next(), Some("GMT" | "UTC" | "Z")) {
        return None;
    }
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(h, m, sec).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}
