import {
  type DescMessage,
  equals,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { specFiles, specRegistry } from "../../impl/spec/index.js";
import { populate } from "./populate.js";

function allMessages(): DescMessage[] {
  const messages: DescMessage[] = [];
  const visit = (message: DescMessage): void => {
    messages.push(message);
    message.nestedMessages.forEach(visit);
  };
  for (const file of specFiles) file.messages.forEach(visit);
  return messages;
}

describe.each(allMessages().map((m) => [m.typeName, m] as const))("%s", (_name, schema) => {
  const message = populate(schema);

  it("survives a binary round trip with every field set", () => {
    const bytes = toBinary(schema, message);
    // Only messages without fields (empty responses) encode to nothing.
    expect(bytes.length > 0).toBe(schema.fields.length > 0);
    expect(equals(schema, fromBinary(schema, bytes), message)).toBe(true);
  });

  it("survives a JSON round trip with every field set", () => {
    const json = toJson(schema, message, { registry: specRegistry });
    const decoded = fromJson(schema, json, { registry: specRegistry });
    expect(equals(schema, decoded, message)).toBe(true);
  });
});
