package s3server

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestKeyLocks checks that changes locking two names, in either order,
// and names that share a stripe, never deadlock, and that a name's lock
// excludes another change of it.
func TestKeyLocks(t *testing.T) {
	t.Parallel()
	k := newKeyLocks()
	// Two names in one stripe: locked once.
	a := "a"
	b := ""
	for i := 0; k.stripe("bkt", b) != k.stripe("bkt", a); i++ {
		b = strconv.Itoa(i)
	}
	k.lock("bkt", []string{a, b})()
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for i := range 64 {
			wg.Go(func() {
				x, y := "x"+strconv.Itoa(i%5), "y"+strconv.Itoa(i%7)
				for range 200 {
					for _, names := range [][]string{{x, y}, {y, x}} {
						unlock := k.lock("bkt", names)
						runtime.Gosched()
						unlock()
					}
				}
			})
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("changes locking two names in opposite orders deadlocked")
	}
	unlock := k.lock("bkt", []string{"k"})
	if k.of("bkt", "k").TryRLock() {
		t.Error("a reader took the lock of a name being changed")
	}
	unlock()
	if !k.of("bkt", "k").TryRLock() {
		t.Error("the lock of a name is still held after unlock")
	}
}
