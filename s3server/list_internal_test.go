package s3server

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3server/internal/storage"
)

// TestListLimit checks how many entries a page holds for the page size
// asked: at most 1000, whatever MaxKeys echoes.
func TestListLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query          string
		maxKeys, limit int
	}{
		{"", 1000, 1000},
		{"max-keys=", 1000, 1000},
		{"max-keys=0", 0, 0},
		{"max-keys=05", 5, 5},
		{"max-keys=1000", 1000, 1000},
		{"max-keys=1001", 1001, 1000},
		{"max-keys=2147483647", 2147483647, 1000},
		{"max-keys=-1", -1, 0},
	}
	for _, tc := range tests {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseListParams(q, "max-keys")
		if err != nil || p.maxKeys != tc.maxKeys || p.limit != tc.limit {
			t.Errorf("?%s: maxKeys %d, limit %d, %v; want %d, %d", tc.query, p.maxKeys, p.limit, err, tc.maxKeys, tc.limit)
		}
	}
}

// TestListPages compares the pages list makes with S3's paging done the
// plain way: every key sorted, those with the prefix after the marker
// taken in order, a key holding the delimiter after the prefix rolled up
// into its common prefix, which is listed once and counts as one entry,
// and skipped when at or before the marker.
func TestListPages(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = "ab/-"[rng.IntN(4)]
		}
		return string(b)
	}
	for round := range 300 {
		b := newBucketState("b", time.Time{}, aclPrivate)
		for range rng.IntN(60) {
			k := word()
			b.objects[k] = newObject(&storage.ObjectMeta{Key: k})
		}
		p := listParams{prefix: []string{"", "a", "a/", "b-"}[rng.IntN(4)], delimiter: []string{"", "/", "-", "ab"}[rng.IntN(4)]}
		p.limit = 1 + rng.IntN(11) // max-keys=0 is an empty page, never truncated (TestListObjectsGolden)
		after := ""
		if rng.IntN(2) == 0 {
			after = word()
		}
		keys := slices.Sorted(maps.Keys(b.objects))
		var want []string
		wantTruncated := false
		for _, k := range keys {
			if !strings.HasPrefix(k, p.prefix) || k <= after {
				continue
			}
			entry := k
			if i := strings.Index(k[len(p.prefix):], p.delimiter); p.delimiter != "" && i >= 0 {
				entry = k[:len(p.prefix)+i+len(p.delimiter)] + " (prefix)"
				if entry[:len(entry)-len(" (prefix)")] <= after || len(want) > 0 && want[len(want)-1] == entry {
					continue
				}
			}
			if len(want) == p.limit {
				wantTruncated = true
				break
			}
			want = append(want, entry)
		}
		l := (*Server)(nil).list(b, p, after)
		var got []string
		for _, m := range l.contents {
			got = append(got, m.Key)
		}
		for _, cp := range l.prefixes {
			got = append(got, cp+" (prefix)")
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || l.truncated != wantTruncated {
			t.Fatalf("round %d: keys %q, prefix %q, delimiter %q, after %q, limit %d:\n got %q truncated %v\nwant %q truncated %v",
				round, keys, p.prefix, p.delimiter, after, p.limit, got, l.truncated, want, wantTruncated)
		}
		if len(want) > 0 && strings.TrimSuffix(want[len(want)-1], " (prefix)") != l.last {
			t.Fatalf("round %d: last %q, want the page's last entry %q", round, l.last, want[len(want)-1])
		}
	}
}

// TestListPageMemory holds what a page of a large bucket costs: about
// the page's entries, not a copy of every key the bucket holds.
func TestListPageMemory(t *testing.T) {
	b := newBucketState("b", time.Time{}, aclPrivate)
	for i := range 100_000 {
		k := fmt.Sprintf("dir/%06d", i)
		b.objects[k] = newObject(&storage.ObjectMeta{Key: k})
	}
	p := listParams{limit: maxListKeys}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := (*Server)(nil).list(b, p, "dir/050000")
	runtime.ReadMemStats(&after)
	t.Logf("%d bytes", after.TotalAlloc-before.TotalAlloc)
	if len(l.contents) != maxListKeys || !l.truncated || l.contents[0].Key != "dir/050001" {
		t.Fatalf("page of %d keys from %q, truncated %v", len(l.contents), l.contents[0].Key, l.truncated)
	}
	// 1,001 entries of 24 bytes, the slices grown to them, and the
	// page's 1,000 pointers: about 100 KB.
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<10 {
		t.Errorf("a page of 1,000 keys of a bucket of 100,000 allocated %d bytes, want at most 256 KiB", n)
	}
}
