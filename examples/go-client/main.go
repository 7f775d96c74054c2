// Command go-client runs a short file-system scenario against a running curve-rpc cluster over
// gRPC, with the code generated from the spec into gen/go: create a file system, mount it, make
// a directory and a file, record the file's data, list, stat, rename, unlink, unmount. It exits
// non-zero on the first failed call or mismatch.
//
//	go run . -endpoints DIR/endpoints.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	endpointsPath := flag.String("endpoints", "", "the endpoints.json that `curve-rpc up` writes into its data dir")
	timeout := flag.Duration("timeout", 2*time.Minute, "time limit for the whole scenario")
	flag.Parse()
	if *endpointsPath == "" {
		fmt.Fprintln(os.Stderr, "usage: go-client -endpoints DIR/endpoints.json")
		os.Exit(2)
	}
	e, err := readEndpoints(*endpointsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-client:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	s := &scenario{c: newCluster(e.Mds), e: e, fsName: fmt.Sprintf("go-client-%d", time.Now().UnixNano())}
	for _, st := range steps {
		if err := st.run(s, ctx); err != nil {
			if info := errorInfo(err); info != nil {
				err = fmt.Errorf("%w (%v)", err, info.Reason)
			}
			fmt.Printf("FAIL %s: %v\n", st.name, err)
			os.Exit(1)
		}
		fmt.Printf("ok   %s\n", st.name)
	}
	fmt.Printf("go-client: scenario passed on fs %q (id %d)\n", s.fsName, s.fs.GetFsId())
}
