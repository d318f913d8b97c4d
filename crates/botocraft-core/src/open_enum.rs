//! Open enums: known values as variants, anything else kept verbatim.

/// Declares an AWS string enum that still parses values it does not know.
///
/// A value is the variant it names exactly or, when none does, the variant
/// it names ignoring ASCII case: AWS sometimes sends another case than its
/// model (`available` for a VPC endpoint's `Available`), and a comparison
/// with the variant should hold. Such a value is then named, and
/// serialised, in the model's spelling. Anything else is `Unknown`, kept
/// verbatim in an [`UnknownValue`], which only parsing makes: an
/// `Unknown` never holds a value the enum names, so `==`, hashing and
/// matching on the variants hold for every value.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// botocraft::core::open_enum! {
///     /// How a task is launched.
///     pub enum LaunchType {
///         /// Runs on EC2 instances you manage.
///         Ec2 = "EC2",
///         Fargate = "FARGATE",
///     }
/// }
/// assert_eq!(LaunchType::from("FARGATE"), LaunchType::Fargate);
/// assert_eq!(LaunchType::from("SOMETHING_NEW").as_str(), "SOMETHING_NEW");
/// assert!(matches!(LaunchType::from("SOMETHING_NEW"), LaunchType::Unknown(v) if v == "SOMETHING_NEW"));
/// assert_eq!(LaunchType::from("fargate"), LaunchType::Fargate);
/// assert_eq!(LaunchType::from("fargate").as_str(), "FARGATE");
/// let json = serde_json::to_string(&LaunchType::Ec2).unwrap();
/// assert_eq!(json, "\"EC2\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    // The generator's form: each value's position, and the positions in
    // sorted order. Values are found in one concatenated string (in order
    // for a few, by binary search for more) and named by slicing it: a
    // `match` on the strings compiles to more code per enum (tens of KB for
    // EC2's thousand instance types), and the other-case fallback reads the
    // same string instead of a table of its own.
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $idx:literal ),* $(,)?
        }
        sorted = [ $($sorted:literal),* $(,)? ];
    ) => {
        $crate::open_enum!(@type $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant, )* });

        impl $name {
            /// Every value this version knows, in model order.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];
            const NAMES: &'static str = concat!($($value),*);
            const ENDS: &'static [u32] = &$crate::open_enum::ends([$($value.len()),*]);
            const SORTED: &'static [u16] = &[$($sorted),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                // The position first, then one slice: an arm per value
                // returning its own slice would inline the slicing 1,000 times.
                let position: usize = match self {
                    $( $name::$variant => $idx, )*
                    $name::Unknown(other) => return other.as_str(),
                };
                $crate::open_enum::name_at(Self::NAMES, Self::ENDS, position)
            }

            /// The known variant `value` names exactly or, failing that,
            /// ignoring ASCII case (one lookup: the other-case scan is in
            /// the shared `find_any_case`, not in each enum).
            fn recognise(value: &str) -> ::std::option::Option<Self> {
                match $crate::open_enum::find_any_case(value, Self::NAMES, Self::ENDS, Self::SORTED)? {
                    $( $idx => ::std::option::Option::Some($name::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }
        }

        $crate::open_enum!(@impls $name);
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $crate::open_enum!(@type $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant, )* });

        impl $name {
            /// Every value this version knows, in model order.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];
            // Read only by the other-case fallback: a string and an end per
            // value, not the 16-byte slice per value `KNOWN` would be.
            const NAMES: &'static str = concat!($($value),*);
            const ENDS: &'static [u32] = &$crate::open_enum::ends([$($value.len()),*]);

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// The known variant `value` names exactly or, failing that,
            /// ignoring ASCII case (AWS sends `available` for a value the
            /// model spells `Available`).
            ///
            /// One call of `known`, run at most twice: a second inlined copy
            /// of each enum's lookup would cost more code than the fallback.
            fn recognise(value: &str) -> ::std::option::Option<Self> {
                let mut value = value;
                loop {
                    if let ::std::option::Option::Some(found) = Self::known(value) {
                        return ::std::option::Option::Some(found);
                    }
                    value = $crate::open_enum::other_case(value, Self::NAMES, Self::ENDS)?;
                }
            }

            /// The known variant `value` names.
            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $( $value => ::std::option::Option::Some($name::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }
        }

        $crate::open_enum!(@impls $name);
    };
    (@type $(#[$meta:meta])* $vis:vis enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident, )* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of botocraft does not know, kept
            /// verbatim (`LaunchType::from("NEW_VALUE")` makes one).
            Unknown($crate::open_enum::UnknownValue),
        }
    };
    (@impls $name:ident) => {
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::recognise(value).unwrap_or_else(|| $name::Unknown($crate::open_enum::UnknownValue::unrecognised(value.to_owned())))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::recognise(&value).unwrap_or($name::Unknown($crate::open_enum::UnknownValue::unrecognised(value)))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                // Borrowed text when the format allows: a known value costs no allocation.
                let text = $crate::__private::deserialize_text(d)?;
                Ok(Self::recognise(&text).unwrap_or_else(|| $name::Unknown($crate::open_enum::UnknownValue::unrecognised(text.into_owned()))))
            }
        }
    };
}

/// The text of an open enum's value that this version of botocraft does not
/// know (a value AWS added later).
///
/// Made only by parsing (`From<&str>`, `FromStr`, serde), which gives the
/// known variant for any value the enum names, in any case: so an
/// `Unknown(..)` never stands for a known value, and `==` and hashing of the
/// enum go by value. Read it as a `&str` (`Deref`, [`as_str`](Self::as_str)),
/// compare it with text (`v == "available"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For the parsing in [`open_enum!`](crate::open_enum) only, once it
    /// has found no known value.
    #[doc(hidden)]
    pub fn unrecognised(text: String) -> Self {
        UnknownValue(text)
    }

    /// The text, as AWS sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, as an owned `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for UnknownValue {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for UnknownValue {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for UnknownValue {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for UnknownValue {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for UnknownValue {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl From<UnknownValue> for String {
    fn from(value: UnknownValue) -> String {
        value.0
    }
}

/// The end of each value in the concatenation of `lens`-long values.
#[doc(hidden)]
pub const fn ends<const N: usize>(lens: [usize; N]) -> [u32; N] {
    let mut out = [0u32; N];
    let mut total = 0usize;
    let mut i = 0;
    while i < N {
        total += lens[i];
        out[i] = total as u32;
        i += 1;
    }
    out
}

/// Value `i` of the concatenation `names` whose value ends are `ends`.
#[doc(hidden)]
pub fn name_at<'a>(names: &'a str, ends: &[u32], i: usize) -> &'a str {
    let start = match i.checked_sub(1) {
        Some(before) => ends.get(before).copied().unwrap_or(0),
        None => 0,
    };
    let end = ends.get(i).copied().unwrap_or(start);
    names.get(start as usize..end as usize).unwrap_or("")
}

/// The position of `value` among the values of `names`/`ends`, given their
/// positions in sorted order.
#[doc(hidden)]
pub fn find(value: &str, names: &str, ends: &[u32], sorted: &[u16]) -> Option<usize> {
    if ends.len() <= LINEAR_FIND_MAX {
        // A few values: comparing the lengths first rejects most without
        // reading them, which beats halving a handful.
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            let end = end as usize;
            if end - start == value.len() && names.get(start..end) == Some(value) {
                return Some(i);
            }
            start = end;
        }
        return None;
    }
    let k = sorted
        .binary_search_by(|&i| name_at(names, ends, usize::from(i)).cmp(value))
        .ok()?;
    sorted.get(k).map(|&i| usize::from(i))
}

/// Up to how many values [`find`] scans them in order rather than
/// searching the sorted order.
const LINEAR_FIND_MAX: usize = 16;

/// The position of `value` among the values of `names`/`ends` (sorted
/// order `sorted`), exactly or, when none matches exactly, ignoring ASCII
/// case.
#[doc(hidden)]
pub fn find_any_case(value: &str, names: &str, ends: &[u32], sorted: &[u16]) -> Option<usize> {
    find(value, names, ends, sorted).or_else(|| position_ignoring_case(value, names, ends))
}

/// The position of the value equal to `value` ignoring ASCII case: the path
/// taken only when no value matches exactly, so a linear scan (no
/// allocation, no second index).
#[cold]
#[inline(never)]
fn position_ignoring_case(value: &str, names: &str, ends: &[u32]) -> Option<usize> {
    (0..ends.len()).find(|&i| {
        let name = name_at(names, ends, i);
        name.len() == value.len() && name.eq_ignore_ascii_case(value)
    })
}

/// The known value (of `names`/`ends`) equal to `value` ignoring ASCII
/// case but spelt otherwise; `None` when there is none, or when `value` is
/// that spelling already (so a caller looping on it stops).
#[doc(hidden)]
pub fn other_case<'a>(value: &str, names: &'a str, ends: &[u32]) -> Option<&'a str> {
    position_ignoring_case(value, names, ends)
        .map(|i| name_at(names, ends, i))
        .filter(|name| *name != value)
}

/// Reads a string, borrowed from the input when the deserializer can lend it.
#[doc(hidden)]
pub fn deserialize_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v))
        }
    }
    d.deserialize_str(Text)
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// Sizes, in the generator's indexed form.
        pub enum Size {
            Medium = "m.medium" => 0,
            Large = "m.large" => 1,
            Xlarge = "m.xlarge" => 2,
            Small = "a.small" => 3,
        }
        sorted = [3, 1, 0, 2];
    }

    #[test]
    fn indexed_enums_parse_and_name_every_value() {
        for (i, name) in Size::KNOWN.iter().enumerate() {
            let size = Size::from(*name);
            assert_eq!(size.as_str(), *name, "{i}");
            assert!(!matches!(size, Size::Unknown(_)), "{name}");
        }
        assert_eq!(Size::from("m.large"), Size::Large);
        assert_eq!(Size::from("a.small"), Size::Small);
        for other in ["", "m", "m.larg", "m.largee", "z.huge", "a.small "] {
            assert!(matches!(Size::from(other), Size::Unknown(v) if v == other));
            assert_eq!(Size::from(other).as_str(), other);
        }
        let json = serde_json::to_string(&Size::Xlarge).unwrap();
        assert_eq!(json, "\"m.xlarge\"");
        let back: Size = serde_json::from_str("\"m.medium\"").unwrap();
        assert_eq!(back, Size::Medium);
    }

    crate::open_enum! {
        /// A VPC endpoint's state, as the model spells it.
        pub enum State {
            PendingAcceptance = "PendingAcceptance",
            Available = "Available",
            Deleted = "Deleted",
        }
    }

    /// AWS sends `available` where the model says `Available`: it is the
    /// variant, named and serialised in the model's spelling; a value
    /// that matches no known one in any case stays verbatim.
    #[test]
    fn values_in_another_case_are_the_known_variant() {
        for sent in ["available", "AVAILABLE", "aVaIlAbLe", "Available"] {
            assert_eq!(State::from(sent), State::Available, "{sent}");
            assert_eq!(State::from(sent.to_owned()), State::Available, "{sent}");
            let parsed: State = serde_json::from_str(&format!("\"{sent}\"")).unwrap();
            assert_eq!(parsed, State::Available, "{sent}");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"Available\"");
        }
        assert_eq!(State::KNOWN, ["PendingAcceptance", "Available", "Deleted"]);
        assert_eq!(State::from("pendingacceptance"), State::PendingAcceptance);
        for other in ["availabl", "available ", "pending-acceptance", ""] {
            assert!(matches!(State::from(other), State::Unknown(v) if v == other));
            assert_eq!(State::from(other).as_str(), other);
        }
        assert_eq!(Size::from("M.LARGE"), Size::Large);
        assert_eq!(Size::from("A.Small").as_str(), "a.small");
        assert!(matches!(Size::from("m.largE "), Size::Unknown(v) if v == "m.largE "));
    }

    /// Every way to make a value gives the known variant for a known value,
    /// so `==` and hashing go by value; an unknown one keeps its text.
    #[test]
    fn unknown_values_are_only_what_no_variant_names() {
        use std::collections::HashSet;
        let made = [
            State::from("available"),
            State::from("Available".to_owned()),
            "AVAILABLE".parse::<State>().unwrap(),
            serde_json::from_str::<State>("\"available\"").unwrap(),
        ];
        for state in &made {
            assert_eq!(*state, State::Available);
        }
        assert_eq!(made.iter().collect::<HashSet<_>>().len(), 1);
        let new = State::from("migrating");
        let State::Unknown(value) = &new else {
            panic!("{new:?}")
        };
        assert_eq!(value, "migrating");
        assert_eq!(value.as_str(), "migrating");
        assert_eq!(&**value, "migrating");
        assert_eq!(value.to_string(), "migrating");
        assert_eq!(value.clone().into_string(), "migrating");
        assert_eq!(new, State::from("migrating"));
        assert_ne!(new, State::from("Migrating"));
        assert_eq!(serde_json::to_string(&new).unwrap(), "\"migrating\"");
    }

    #[test]
    fn names_are_sliced_without_panicking() {
        let ends = super::ends([1, 2, 3]);
        assert_eq!(ends, [1, 3, 6]);
        assert_eq!(super::name_at("abbccc", &ends, 0), "a");
        assert_eq!(super::name_at("abbccc", &ends, 2), "ccc");
        assert_eq!(super::name_at("abbccc", &ends, 9), "");
        assert_eq!(super::find("bb", "abbccc", &ends, &[0, 1, 2]), Some(1));
        assert_eq!(super::find("b", "abbccc", &ends, &[0, 1, 2]), None);
    }
}
