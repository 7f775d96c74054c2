/**
 * Builds a message with every field set to a non-default value, by reflection, so that
 * encoding tests exercise each field of the spec without hand-written fixtures.
 */
import { type DescField, type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";
import { type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";

/** Nested messages deeper than this are left unset, which bounds recursive types. */
const MAX_DEPTH = 4;

export function populate(desc: DescMessage, depth = 0): Message {
  const message = reflect(desc);
  for (const field of desc.fields) {
    // Set one member per oneof: the first. Setting several would keep only the last.
    if (field.oneof && field.oneof.fields[0] !== field) continue;
    setField(message, field, depth);
  }
  return message.message;
}

function setField(message: ReflectMessage, field: DescField, depth: number): void {
  switch (field.fieldKind) {
    case "scalar":
      message.set(field, scalarSample(field.scalar, field.name));
      return;
    case "enum":
      message.set(field, lastValue(field.enum.values));
      return;
    case "message":
      if (depth < MAX_DEPTH)
        message.set(field, reflect(field.message, populate(field.message, depth + 1)));
      return;
    case "list": {
      const list = message.get(field);
      for (let i = 0; i < 2; i++) {
        if (field.listKind === "scalar") list.add(scalarSample(field.scalar, `${field.name}${i}`));
        else if (field.listKind === "enum") list.add(lastValue(field.enum.values));
        else if (depth < MAX_DEPTH)
          list.add(reflect(field.message, populate(field.message, depth + 1)));
      }
      return;
    }
    case "map": {
      const map = message.get(field);
      const key = scalarSample(field.mapKey, "key");
      if (field.mapKind === "scalar") map.set(key, scalarSample(field.scalar, field.name));
      else if (field.mapKind === "enum") map.set(key, lastValue(field.enum.values));
      else if (depth < MAX_DEPTH)
        map.set(key, reflect(field.message, populate(field.message, depth + 1)));
      return;
    }
  }
}

function lastValue(values: readonly { number: number }[]): number {
  return values[values.length - 1]?.number ?? 0;
}

/** A value of the scalar type that differs from its default and survives JSON encoding. */
function scalarSample(
  type: ScalarType,
  hint: string,
): string | number | bigint | boolean | Uint8Array {
  switch (type) {
    case ScalarType.STRING:
      return `sample-${hint}`;
    case ScalarType.BYTES:
      return new Uint8Array([0, 1, 2, 253, 254, 255]);
    case ScalarType.BOOL:
      return true;
    case ScalarType.DOUBLE:
      return 1.5;
    case ScalarType.FLOAT:
      return 2.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // Positive and small enough to be a valid google.protobuf.Timestamp / Duration second count.
      return 1_700_000_000n;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 18_446_744_073_709_551_000n;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return 4_000_000_000;
    default:
      // INT32, SINT32, SFIXED32. Kept below 1e9 so it is also a valid nanosecond count.
      return 123_456_789;
  }
}
