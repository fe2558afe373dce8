package lint

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// TestZZDump is a scratch harness, never committed.
func TestZZDump(t *testing.T) {
	in, out := os.Getenv("DUMP_IN"), os.Getenv("DUMP_OUT")
	if in == "" {
		t.Skip()
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, _ := os.Create(out)
	defer w.Close()
	enc := json.NewEncoder(w)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o string
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		age := int32(600)
		fs := Check([]corsrule.Rule{{AllowedOrigins: []string{o}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: &age}})
		fs = append(fs, Check([]corsrule.Rule{{AllowedOrigins: []string{o, "https://app.example.com"}, AllowedMethods: []string{"GET", "PUT"}, MaxAgeSeconds: &age}})...)
		type r struct{ ID, Why, Fix string }
		var rs []r
		for _, x := range fs {
			rs = append(rs, r{x.ID, x.Why, x.Fix})
		}
		enc.Encode(map[string]any{"o": o, "f": rs})
	}
}
