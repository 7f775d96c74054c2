import { describe, expect, it } from "vitest";
import { ClientError } from "../../impl/client/client-error.js";
import {
  isRemotePath,
  isSameOrInside,
  normalizePath,
  parseRemotePath,
  resolveAgainst,
  splitPath,
} from "../../impl/client/fs-path.js";

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof ClientError ? error.code : "not a ClientError";
  }
  return undefined;
}

describe("paths", () => {
  it("normalises '.', '..', repeated and trailing slashes", () => {
    expect(splitPath("//a/./b/../c/")).toEqual(["a", "c"]);
    expect(normalizePath("/")).toBe("/");
    expect(normalizePath("/a/..")).toBe("/");
    expect(normalizePath("/../a")).toBe("/a");
  });

  it("rejects relative paths (EINVAL) and components over 255 bytes (ENAMETOOLONG)", () => {
    expect(codeOf(() => splitPath("a/b"))).toBe("EINVAL");
    expect(codeOf(() => splitPath(`/${"é".repeat(128)}`))).toBe("ENAMETOOLONG");
    expect(codeOf(() => splitPath(`/${"x".repeat(255)}`))).toBeUndefined();
    expect(codeOf(() => splitPath("/a\0b"))).toBe("EINVAL");
  });

  it("resolves symlink targets against the link's directory", () => {
    expect(resolveAgainst("/a/b", "../c")).toBe("/a/b/../c");
    expect(resolveAgainst("/", "c")).toBe("/c");
    expect(resolveAgainst("/a", "/abs")).toBe("/abs");
  });

  it("tells whether a path lies inside another", () => {
    expect(isSameOrInside("/a/b", "/a")).toBe(true);
    expect(isSameOrInside("/a", "/a")).toBe(true);
    expect(isSameOrInside("/ab", "/a")).toBe(false);
    expect(isSameOrInside("/x", "/")).toBe(true);
  });
});

describe("NAME:/path", () => {
  it("splits the fs name from a normalised absolute path", () => {
    expect(parseRemotePath("my-fs:/a//b/")).toEqual({ fsName: "my-fs", path: "/a/b" });
    expect(parseRemotePath("fs1:")).toEqual({ fsName: "fs1", path: "/" });
  });

  it("refuses anything else", () => {
    expect(codeOf(() => parseRemotePath("/local/file"))).toBe("EINVAL");
    expect(codeOf(() => parseRemotePath("fs1:relative"))).toBe("EINVAL");
    expect(isRemotePath("fs1:/x")).toBe(true);
    expect(isRemotePath("./fs1:/x")).toBe(false);
  });
});
