package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// zeros is an endless reader of zero bytes, as /dev/zero is.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestPlanReadAllocs bounds what reading a large plan allocates: one
// buffer of the plan's bytes (of the bound on a pipe, whose size is not
// known), not the copies io.ReadAll and append made, which took
// "s3cors validate --input terraform-plan /dev/zero" to 424 MB of memory
// for its 128 MiB bound. It runs alone: the counts are the whole
// process's.
func TestPlanReadAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	// A plan of 40 MiB: a valid one, padded with white space after it.
	plan, err := os.ReadFile("../../testdata/iac/plan/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	const size = 40 << 20
	file := filepath.Join(t.TempDir(), "plan.json")
	padded := append(plan, strings.Repeat(" ", size-len(plan))...)
	if err := os.WriteFile(file, padded, 0o644); err != nil {
		t.Fatal(err)
	}
	padded = nil
	for _, tc := range []struct {
		name  string
		src   source
		input string
		max   uint64 // bytes allocated at most
		err   string // what the input is refused with, or ""
	}{
		// iac.Load reads a regular file, whose size it knows.
		{"file", source{name: file, path: file, open: func() (io.Reader, func() error, error) {
			f, err := os.Open(file)
			return f, f.Close, err
		}}, "", size * 5 / 4, ""},
		// Standard input, a pipe, /dev/zero: read up to the bound.
		{"endless", source{name: "/dev/zero", open: func() (io.Reader, func() error, error) {
			return zeros{}, nil, nil
		}}, "terraform-plan", iac.MaxPlanSize * 5 / 4, "the plan is larger than 134217728 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			l := load(tc.src, loadOptions{input: tc.input})
			runtime.ReadMemStats(&after)
			n := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d MiB allocated", n>>20)
			if n > tc.max {
				t.Errorf("%d MiB allocated, want at most %d MiB", n>>20, tc.max>>20)
			}
			var got string
			switch {
			case l.err != nil:
				got = l.err.Error()
			case l.parseErr != nil:
				got = l.parseErr.Error()
			}
			if !strings.Contains(got, tc.err) || (tc.err == "") != (got == "") {
				t.Errorf("error %q, want %q", got, tc.err)
			}
			if tc.err == "" && (l.iac == nil || len(l.iac.Buckets) == 0) {
				t.Errorf("no bucket read from the plan")
			}
		})
	}
}
