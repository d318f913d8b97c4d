//! Open enums: known values as variants, anything else kept verbatim.

/// Declares an AWS string enum that still parses values it does not know.
///
/// ```
/// botocraft_core::open_enum! {
///     /// How a task is launched.
///     pub enum LaunchType {
///         /// Runs on EC2 instances you manage.
///         Ec2 = "EC2",
///         Fargate = "FARGATE",
///     }
/// }
/// assert_eq!(LaunchType::from("FARGATE"), LaunchType::Fargate);
/// assert_eq!(LaunchType::from("SOMETHING_NEW").as_str(), "SOMETHING_NEW");
/// let json = serde_json::to_string(&LaunchType::Ec2).unwrap();
/// assert_eq!(json, "\"EC2\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of botocraft does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value this version knows, in model order.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other.as_str(),
                }
            }
        }

        impl $name {
            /// The known variant `value` names.
            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $( $value => ::std::option::Option::Some($name::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| $name::Unknown(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or($name::Unknown(value))
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
                Ok(Self::known(&text).unwrap_or_else(|| $name::Unknown(text.into_owned())))
            }
        }
    };
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
