/**
 * The `--mds URL[,URL]` option shared by the commands that talk to an MDS cluster: a
 * comma-separated list of "http://host:port" URLs (any MDS of the cluster, leader or not).
 */
export function parseMdsUrls(value: string | undefined): string[] {
  const urls = (value ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  if (urls.length === 0) throw new Error("--mds URL[,URL] is required");
  for (const url of urls) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`--mds: not an MDS URL: ${url}`);
  }
  return urls.map((url) => url.replace(/\/$/, ""));
}
