import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { isWrapperDesc } from "@bufbuild/protobuf/wkt";

// What each JSON value of a message is expected to be, for the scan of strict-json-scan.ts.

export type Shape =
  | { kind: "message"; desc: DescMessage }
  | { kind: "map"; integerKeys: boolean; value: () => Shape }
  | { kind: "list"; element: () => Shape }
  | { kind: "integer" }
  | { kind: "float" }
  /** Strings, bools, enums, well-known types read from strings, Struct and Value, unknown fields. */
  | { kind: "other" };

const INTEGER: Shape = { kind: "integer" };
const FLOAT: Shape = { kind: "float" };
export const OTHER: Shape = { kind: "other" };

/** Well-known types that protobuf-es reads from a JSON form of their own (wrappers are handled apart). */
const WKT_WITH_OWN_JSON = new Set([
  "google.protobuf.Any",
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
]);

function scalarShape(scalar: ScalarType): Shape {
  switch (scalar) {
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return INTEGER;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return FLOAT;
    default:
      return OTHER;
  }
}

const messageShapes = new WeakMap<DescMessage, Shape>();

export function shapeOfMessage(desc: DescMessage): Shape {
  let shape = messageShapes.get(desc);
  if (shape === undefined) {
    if (isWrapperDesc(desc)) shape = scalarShape(desc.fields[0].scalar);
    else if (WKT_WITH_OWN_JSON.has(desc.typeName)) shape = OTHER;
    else shape = { kind: "message", desc };
    messageShapes.set(desc, shape);
  }
  return shape;
}

const fieldShapes = new WeakMap<DescField, Shape>();

export function shapeOfField(field: DescField): Shape {
  let shape = fieldShapes.get(field);
  if (shape === undefined) {
    switch (field.fieldKind) {
      case "scalar":
        shape = scalarShape(field.scalar);
        break;
      case "enum":
        shape = OTHER;
        break;
      case "message":
        shape = shapeOfMessage(field.message);
        break;
      case "list": {
        const element =
          field.listKind === "message"
            ? () => shapeOfMessage(field.message)
            : field.listKind === "scalar"
              ? () => scalarShape(field.scalar)
              : () => OTHER;
        shape = { kind: "list", element };
        break;
      }
      case "map": {
        const value =
          field.mapKind === "message"
            ? () => shapeOfMessage(field.message)
            : field.mapKind === "scalar"
              ? () => scalarShape(field.scalar)
              : () => OTHER;
        shape = { kind: "map", integerKeys: scalarShape(field.mapKey) === INTEGER, value };
        break;
      }
    }
    fieldShapes.set(field, shape);
  }
  return shape;
}

const jsonKeys = new WeakMap<DescMessage, Map<string, DescField>>();

/** A message's fields by every key proto3 JSON reads them under: the JSON name and the proto name. */
export function fieldsByJsonKey(desc: DescMessage): Map<string, DescField> {
  let keys = jsonKeys.get(desc);
  if (keys === undefined) {
    keys = new Map();
    for (const field of desc.fields) keys.set(field.name, field).set(field.jsonName, field);
    jsonKeys.set(desc, keys);
  }
  return keys;
}
