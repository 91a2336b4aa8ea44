//! What the two commands that edit the planner's JSON share about jsonc-parser's concrete
//! syntax tree.

use jsonc_parser::cst::{CstInputValue, CstNode};

/// A copy of `node` to insert elsewhere: numbers as typed, strings by their decoded text.
pub fn input(node: &CstNode) -> CstInputValue {
    if let Some(obj) = node.as_object() {
        return CstInputValue::Object(
            obj.properties()
                .into_iter()
                .filter_map(|p| Some((p.decoded_name()?, input(&p.value()?))))
                .collect(),
        );
    }
    if let Some(arr) = node.as_array() {
        return CstInputValue::Array(arr.elements().iter().map(input).collect());
    }
    if let Some(lit) = node.as_string_lit() {
        return CstInputValue::String(lit.decoded_value().unwrap_or_default());
    }
    if let Some(n) = node.as_number_lit() {
        return CstInputValue::Number(n.to_string());
    }
    if let Some(b) = node.as_boolean_lit() {
        return CstInputValue::Bool(b.value());
    }
    CstInputValue::Null
}
