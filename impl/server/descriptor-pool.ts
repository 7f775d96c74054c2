/**
 * The schema a process describes through server reflection: a set of proto files closed over
 * their imports (buf/validate, google/protobuf), indexed by file name, by every fully qualified
 * symbol they declare, and by the extensions they declare.
 *
 * Symbols are what `grpcurl describe` and reflection clients ask for: packages' messages, enums,
 * enum values (scoped, as in protobuf, next to their enum), fields, oneofs, services, methods
 * and extensions.
 */
import { type DescEnum, type DescFile, type DescMessage, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

export class DescriptorPool {
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #messages = new Set<string>();
  /** Extendee type name → field number → the file declaring the extension. */
  readonly #extensions = new Map<string, Map<number, DescFile>>();
  readonly #encoded = new Map<string, Uint8Array>();

  /** The pool of `roots` and everything they import, transitively. */
  constructor(roots: Iterable<DescFile>) {
    for (const file of roots) this.#add(file);
  }

  /** By its path, e.g. "curve/mds/v1/mds.proto". */
  fileByName(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  /** The file declaring a fully qualified symbol ("curve.mds.v1.MdsService.CreateFs"). */
  fileContainingSymbol(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol);
  }

  fileContainingExtension(extendee: string, number: number): DescFile | undefined {
    return this.#extensions.get(extendee)?.get(number);
  }

  /** The extension numbers of a message, ascending; undefined when the message is unknown. */
  extensionNumbersOf(extendee: string): number[] | undefined {
    if (!this.#messages.has(extendee)) return undefined;
    return [...(this.#extensions.get(extendee)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * The serialized FileDescriptorProto of `file` first, then of its imports, transitively,
   * leaving out those already in `sent` (what a reflection stream has already returned); adds
   * what it returns to `sent`.
   */
  encodeWithImports(file: DescFile, sent: Set<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const queue: DescFile[] = [file];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const name = next.proto.name;
      if (out.length > 0 && sent.has(name)) continue;
      sent.add(name);
      out.push(this.#encode(next));
      queue.push(...next.dependencies);
    }
    return out;
  }

  #encode(file: DescFile): Uint8Array {
    let bytes = this.#encoded.get(file.proto.name);
    if (bytes === undefined) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.#encoded.set(file.proto.name, bytes);
    }
    return bytes;
  }

  #add(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    for (const dependency of file.dependencies) this.#add(dependency);
    for (const message of file.messages) this.#addMessage(file, message);
    for (const enumeration of file.enums) this.#addEnum(file, enumeration);
    for (const extension of file.extensions) this.#addExtension(file, extension);
    for (const service of file.services) {
      this.#symbols.set(service.typeName, file);
      for (const method of service.methods) {
        this.#symbols.set(`${service.typeName}.${method.name}`, file);
      }
    }
  }

  #addMessage(file: DescFile, message: DescMessage): void {
    this.#symbols.set(message.typeName, file);
    this.#messages.add(message.typeName);
    for (const field of message.fields)
      this.#symbols.set(`${message.typeName}.${field.name}`, file);
    for (const oneof of message.oneofs)
      this.#symbols.set(`${message.typeName}.${oneof.name}`, file);
    for (const nested of message.nestedMessages) this.#addMessage(file, nested);
    for (const nested of message.nestedEnums) this.#addEnum(file, nested);
    for (const extension of message.nestedExtensions) this.#addExtension(file, extension);
  }

  #addEnum(file: DescFile, enumeration: DescEnum): void {
    this.#symbols.set(enumeration.typeName, file);
    const scope = enumeration.typeName.slice(0, enumeration.typeName.lastIndexOf(".") + 1);
    for (const value of enumeration.values) this.#symbols.set(`${scope}${value.name}`, file);
  }

  #addExtension(file: DescFile, extension: DescFile["extensions"][number]): void {
    this.#symbols.set(extension.typeName, file);
    const byNumber = this.#extensions.get(extension.extendee.typeName) ?? new Map();
    byNumber.set(extension.number, file);
    this.#extensions.set(extension.extendee.typeName, byNumber);
  }
}
