import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { invalidArgument } from "../expected.js";
import { createS3Fs } from "../fixtures.js";

const method = MdsService.method.listFs;
/** Enough pages to see the shape without walking a large cluster's whole listing. */
const MAX_PAGES = 20;

export const listFsCases: ConformanceCase[] = [
  steps({
    id: "mds.list_fs.paging_shape",
    method,
    spec: "Lists the file systems of the cluster … in ascending order of fs id. … A page may hold fewer, even when more follow. … The token for the next page; empty when there are no more.",
    run: async (ctx) => {
      let pageToken = "";
      let lastId = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const reply = await ctx.mds.listFs({ pageSize: 1, pageToken });
        check(reply.fsInfos.length <= 1, `page_size 1 returned ${reply.fsInfos.length} fs`);
        for (const fs of reply.fsInfos) {
          check(fs.fsId > lastId, `fs id ${fs.fsId} after ${lastId}: not ascending`);
          lastId = fs.fsId;
        }
        if (reply.nextPageToken === "") return;
        pageToken = reply.nextPageToken;
      }
    },
  }),
  steps({
    id: "mds.list_fs.default_page_ascending",
    method,
    spec: "The maximum number of file systems to return: 0 means the server default (100); at most 1000. … File systems in ascending order of fs id.",
    run: async (ctx) => {
      const reply = await ctx.mds.listFs({});
      check(reply.fsInfos.length <= 100, `the default page held ${reply.fsInfos.length} fs`);
      const ids = reply.fsInfos.map((fs) => fs.fsId);
      check(
        ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0)),
        `fs ids not ascending: ${ids.join(",")}`,
      );
    },
  }),
  steps({
    id: "mds.list_fs.lists_created_without_secret",
    method,
    spec: "Every `FsInfo` in a response has an empty `s3_info.secret_key` and `s3_info.secret_key_set` = true.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      let pageToken = "";
      for (;;) {
        const reply = await ctx.mds.listFs({ pageSize: 1000, pageToken });
        const found = reply.fsInfos.find((listed) => listed.fsId === fs.fsId);
        if (found) {
          check(found.detail.case === "s3Info", "the listed fs has no s3_info");
          check(found.detail.value.secretKey === "", "ListFs returns the secret key");
          return;
        }
        check(reply.nextPageToken !== "", `fs ${fs.fsId} is not listed`);
        pageToken = reply.nextPageToken;
      }
    },
  }),
  rejects({
    id: "mds.list_fs.bogus_page_token",
    method,
    spec: "`invalid_argument` ERROR_REASON_INVALID_ARGUMENT: `page_token` was not returned by this RPC.",
    request: { pageToken: "not-a-token-of-this-rpc" },
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.list_fs.page_size_too_large",
    method,
    spec: "The maximum number of file systems to return: 0 means the server default (100); at most 1000.",
    request: { pageSize: 1001 },
    expect: invalidArgument("page_size"),
  }),
  rejects({
    id: "mds.list_fs.page_token_too_long",
    method,
    spec: "`next_page_token` of the previous response; empty for the first page. At most 1024 bytes.",
    request: { pageToken: "t".repeat(1025) },
    expect: invalidArgument("page_token"),
  }),
];
