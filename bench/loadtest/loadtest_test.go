package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLoadBrief runs the load test for a couple of seconds: every
// answer as S3 gives it, every allowed preflight from one configuration
// whole, and every acknowledged write read back.
func TestLoadBrief(t *testing.T) {
	rep, err := run(context.Background(), config{duration: 2 * time.Second, clients: 16, objects: 16})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.print(&out)
	t.Log("\n" + out.String())
	if rep.totalErrors() > 0 || rep.lost > 0 {
		t.Errorf("%d errors, %d lost writes", rep.totalErrors(), rep.lost)
	}
	for k := range kinds {
		if len(rep.latencies[k]) == 0 {
			t.Errorf("no %s was sent", kindNames[k])
		}
	}
	if rep.acked == 0 || rep.corsSwaps == 0 || rep.fromConfig[0] == 0 || rep.fromConfig[1] == 0 {
		t.Errorf("the mix did not run: %d writes, %d configuration changes, %v preflights by configuration", rep.acked, rep.corsSwaps, rep.fromConfig)
	}
}

func TestParseMix(t *testing.T) {
	if m, err := parseMix("35, 10,35,15,5"); err != nil || m != defaultMix {
		t.Errorf("parseMix: %v %v", m, err)
	}
	for _, bad := range []string{"", "1,2,3", "1,2,3,4,x", "0,0,0,0,0", "1,2,3,4,-5"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) took it", bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if percentile(d, 50) != 5 || percentile(d, 99) != 10 || percentile(d, 0) != 1 || percentile(nil, 50) != 0 {
		t.Errorf("percentile: %v %v %v", percentile(d, 50), percentile(d, 99), percentile(d, 0))
	}
}
