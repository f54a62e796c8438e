package outlookmsg_test

import (
	"bytes"
	"encoding/base64"
)

// decode reads a base64 part body.
func decode(raw []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(raw), nil)))
}
