//! Typed records from the YAML tree, through serde.
//!
//! The schema is strict and reports every problem; this deserializer is lenient
//! so that a record with a stray key is still used as evidence: unknown keys
//! are ignored, and any scalar can be read as text (`version: 2.1`, or a
//! control id written `5.10` without quotes, keep their written form).

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::source::Span;
use crate::yaml::{Entry, Node, Typed, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub message: String,
    pub span: Option<Span>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            span: None,
        }
    }
}

/// Deserialize a `T` from a node.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(NodeDe(node))
}

#[derive(Clone, Copy)]
pub struct NodeDe<'a>(pub &'a Node);

impl NodeDe<'_> {
    fn located(&self, mut e: Error) -> Error {
        if e.span.is_none() {
            e.span = Some(self.0.span);
        }
        e
    }

    fn invalid(&self, expected: &str) -> Error {
        let found = match &self.0.value {
            Value::Scalar(s) => format!("`{}`", s.text),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        };
        Error {
            message: format!("expected {expected}, found {found}"),
            span: Some(self.0.span),
        }
    }
}

macro_rules! forward_to_any {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.deserialize_any(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.0.value {
            Value::Scalar(s) => match s.typed() {
                Typed::Null => v.visit_unit(),
                Typed::Bool(b) => v.visit_bool(b),
                Typed::Int(i) => v.visit_i64(i),
                Typed::Float(f) => v.visit_f64(f),
                Typed::Str(t) => v.visit_borrowed_str(t),
            },
            Value::Seq(items) => v.visit_seq(SeqDe { iter: items.iter() }),
            Value::Map(entries) => v.visit_map(MapDe {
                iter: entries.iter(),
                value: None,
            }),
        };
        r.map_err(|e| self.located(e))
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Scalar(s) if s.typed() != Typed::Null => {
                v.visit_borrowed_str(&s.text).map_err(|e| self.located(e))
            }
            _ => Err(self.invalid("text")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.0.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Seq(items) => v
                .visit_seq(SeqDe { iter: items.iter() })
                .map_err(|e| self.located(e)),
            // An empty value where a list is expected is an empty list.
            _ if self.0.is_null() => v.visit_seq(SeqDe { iter: [].iter() }),
            _ => Err(self.invalid("a list")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Map(entries) => v
                .visit_map(MapDe {
                    iter: entries.iter(),
                    value: None,
                })
                .map_err(|e| self.located(e)),
            _ if self.0.is_null() => v.visit_map(MapDe {
                iter: [].iter(),
                value: None,
            }),
            _ => Err(self.invalid("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Scalar(s) if s.typed() != Typed::Null => v
                .visit_enum(s.text.as_str().into_deserializer())
                .map_err(|e: Error| self.located(e)),
            _ => Err(self.invalid("one of the listed values")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    forward_to_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_any(v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }
}

struct SeqDe<'a> {
    iter: std::slice::Iter<'a, Node>,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'de> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            Some(n) => seed.deserialize(NodeDe(n)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapDe<'a> {
    iter: std::slice::Iter<'a, Entry>,
    value: Option<&'a Node>,
}

impl<'de> de::MapAccess<'de> for MapDe<'de> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        // Empty values mean "not set", as in the schema.
        for e in self.iter.by_ref() {
            if e.value.is_null() {
                continue;
            }
            self.value = Some(&e.value);
            return seed.deserialize(NodeDe(&e.key)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self.value.take().expect("value follows key");
        seed.deserialize(NodeDe(node))
    }
}

/// For `#[serde(deserialize_with)]`: a value that cannot be read becomes its
/// default. Used in the manifest, where the schema has already reported the
/// problem and the rest of the configuration must still apply.
pub fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(T::deserialize(d).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    struct T {
        id: String,
        version: Option<String>,
        #[serde(default)]
        controls: Vec<String>,
        count: Option<u32>,
        closed: Option<String>,
        status: S,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum S {
        InProgress,
    }

    #[test]
    fn lenient_typed_reading() {
        let f = SourceFile::new(
            "t.yaml",
            "id: A\nversion: 2.10\ncontrols: [5.1, 5.10]\ncount: 3\nclosed:\nstatus: in-progress\nextra: 1\n",
        );
        let p = crate::yaml::parse(&f, &f.text.clone(), 1);
        let t: T = from_node(&p.documents[0]).unwrap();
        assert_eq!(t.version.as_deref(), Some("2.10"));
        assert_eq!(t.controls, ["5.1", "5.10"]);
        assert_eq!(t.count, Some(3));
        assert_eq!(t.closed, None);
        assert_eq!(t.status, S::InProgress);
    }

    #[test]
    fn errors_carry_the_span() {
        let f = SourceFile::new("t.yaml", "id: A\nstatus: done\n");
        let p = crate::yaml::parse(&f, &f.text.clone(), 1);
        let e = from_node::<T>(&p.documents[0]).unwrap_err();
        assert_eq!(f.slice(e.span.unwrap()), "done");
    }
}
