package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// endpoints is what `curve-rpc up` writes to DIR/endpoints.json: where the cluster listens and
// which object store its file systems should use.
type endpoints struct {
	Mds         []string `json:"mds"`
	Metaservers []string `json:"metaservers"`
	S3          struct {
		Endpoint  string `json:"endpoint"`
		Bucket    string `json:"bucket"`
		AccessKey string `json:"accessKey"`
	} `json:"s3"`
}

func readEndpoints(path string) (*endpoints, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var e endpoints
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(e.Mds) == 0 || e.S3.Endpoint == "" || e.S3.Bucket == "" {
		return nil, fmt.Errorf("%s: needs mds addresses and an s3 endpoint and bucket", path)
	}
	for i, address := range e.Mds {
		e.Mds[i] = hostPort(address)
	}
	return &e, nil
}

// hostPort turns "http://host:port" into "host:port": leader hints and copyset members are
// "host:port", so every address is kept in that form.
func hostPort(address string) string {
	if _, rest, found := strings.Cut(address, "://"); found {
		return strings.TrimSuffix(rest, "/")
	}
	return address
}

// secretKey is the S3 secret that CreateFs requires. Servers never return it, so it comes from
// CURVE_S3_SECRET_KEY; the embedded object store (a file:// endpoint) checks none, so any
// placeholder does there.
func secretKey(e *endpoints) (string, error) {
	if secret := os.Getenv("CURVE_S3_SECRET_KEY"); secret != "" {
		return secret, nil
	}
	if strings.HasPrefix(e.S3.Endpoint, "file://") {
		return "unused-by-the-embedded-store", nil
	}
	return "", fmt.Errorf("set CURVE_S3_SECRET_KEY for the S3 endpoint %s", e.S3.Endpoint)
}
